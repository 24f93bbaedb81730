"""Read a bundle zip (Codabench version 2, CodaLab 1.5 or 1.8, or a Codabench task upload
with ``task.yaml``) into a :class:`Bundle`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml
from flask_babel import gettext as _

from judge.bundles import codabench, codalab, tasks
from judge.bundles.model import Bundle
from judge.bundles.parts import BUNDLE_CAPS, Files
from judge.core.errors import Invalid
from judge.scoring.programs.archive import unpack

YAML_NAMES = ("competition.yaml", "competition.yml")
TASK_NAMES = ("task.yaml", "task.yml")


def read(bundle_zip: Path, workdir: Path) -> Bundle:
    """Unpack ``bundle_zip`` under ``workdir`` and read its competition.yaml."""
    if not zipfile.is_zipfile(bundle_zip):
        raise Invalid(_("A bundle is a zip file with a competition.yaml (or a task.yaml)."),
                      field="bundle")  # fmt: skip
    root = _root(unpack(bundle_zip, workdir / "bundle", _("bundle"), BUNDLE_CAPS))
    names = YAML_NAMES if _holds(root, YAML_NAMES) else TASK_NAMES
    data = _load(root, names)
    files = Files(root, workdir / "parts")
    if names is TASK_NAMES:
        return tasks.parse(data, files)
    if str(data.get("version", "")).startswith("2"):
        return codabench.parse(data, files)
    return codalab.parse(data, files)


def _root(folder: Path) -> Path:
    """The folder holding competition.yaml or task.yaml (zips often wrap everything in one
    folder)."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if _holds(candidate, YAML_NAMES + TASK_NAMES):
            return candidate
    raise Invalid(_("The bundle has no competition.yaml (nor a task.yaml)."), field="bundle")


def _holds(folder: Path, names: tuple[str, ...]) -> bool:
    return any((folder / name).is_file() for name in names)


def _load(root: Path, names: tuple[str, ...]) -> dict:
    path = next(root / name for name in names if (root / name).is_file())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:  # ValueError: 2026-13-45
        raise Invalid(_("%(file)s is not valid YAML: %(error)s", file=path.name, error=exc),
                      field="bundle") from None  # fmt: skip
    if not isinstance(data, dict):
        raise Invalid(_("%(file)s must be a mapping of keys.", file=path.name), field="bundle")
    return data
