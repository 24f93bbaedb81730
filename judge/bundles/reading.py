"""Read a bundle zip (Codabench version 2 or CodaLab 1.5) into a :class:`Bundle`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml
from flask_babel import gettext as _

from judge.bundles import codabench, codalab
from judge.bundles.model import Bundle
from judge.bundles.parts import BUNDLE_CAPS, Files
from judge.core.errors import Invalid
from judge.scoring.programs.archive import unpack

YAML_NAMES = ("competition.yaml", "competition.yml")


def read(bundle_zip: Path, workdir: Path) -> Bundle:
    """Unpack ``bundle_zip`` under ``workdir`` and read its competition.yaml."""
    if not zipfile.is_zipfile(bundle_zip):
        raise Invalid(_("A bundle is a zip file with a competition.yaml."), field="bundle")
    root = _root(unpack(bundle_zip, workdir / "bundle", _("bundle"), BUNDLE_CAPS))
    data = _load(root)
    files = Files(root, workdir / "parts")
    if str(data.get("version", "")).startswith("2"):
        return codabench.parse(data, files)
    return codalab.parse(data, files)


def _root(folder: Path) -> Path:
    """The folder holding competition.yaml (zips often wrap everything in one folder)."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if any((candidate / name).is_file() for name in YAML_NAMES):
            return candidate
    raise Invalid(_("The bundle has no competition.yaml."), field="bundle")


def _load(root: Path) -> dict:
    path = next(root / name for name in YAML_NAMES if (root / name).is_file())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise Invalid(_("competition.yaml is not valid YAML: %(error)s", error=exc),
                      field="bundle") from None  # fmt: skip
    if not isinstance(data, dict):
        raise Invalid(_("competition.yaml must be a mapping of keys."), field="bundle")
    return data
