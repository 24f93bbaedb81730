"""Pieces both bundle formats use: files the yaml names, dates, numbers, unused keys."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from dateutil import parser
from flask_babel import gettext as _

from judge.bundles.model import Bundle, Phase, Task
from judge.core.errors import DomainError
from judge.core.i18n import N_
from judge.scoring.programs.archive import Caps, unpack

BUNDLE_CAPS = Caps(max_bytes=4 * 1024**3, max_files=50_000)
YAML = "competition.yaml"


class Files:
    """Paths the yaml names, inside the bundle: a folder as is, a zip unpacked."""

    def __init__(self, root: Path, parts: Path) -> None:
        self.root, self.parts = root, parts
        self._count = 0

    def folder(self, name: object) -> Path | None:
        if not isinstance(name, str) or not name.strip():
            return None
        path = (self.root / name.strip().rstrip("/")).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.exists():
            return None
        if path.is_dir():
            return path
        if zipfile.is_zipfile(path):
            self._count += 1
            return unpack(path, self.parts / f"{self._count}-{path.stem}", name, BUNDLE_CAPS)
        self._count += 1
        return unpack(path, self.parts / f"{self._count}-file", name, BUNDLE_CAPS)

    def text(self, name: object) -> str | None:
        if not isinstance(name, str):
            return None
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return None
        return path.read_text(encoding="utf-8-sig", errors="replace")


def when(value: object, where: str, bundle: Bundle) -> datetime | None:
    """A date or time from the yaml read as Codabench reads it (leniently: ``8-7-2019`` is
    7 August 2019), in UTC; one it cannot read is an error naming the key."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _in_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    try:
        return _in_utc(parser.parse(str(value)))
    except (ValueError, OverflowError):
        bundle.errors.append(_("%(file)s: %(key)s: “%(value)s” is not a date.",
                               file=bundle.yaml_name, key=where,
                               value=str(value)[:80]))  # fmt: skip
        return None


def _in_utc(moment: datetime) -> datetime:
    """A time with an offset (``10:00+09:00``) at the same instant in UTC; one without, as
    UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def image(data: dict, bundle: Bundle) -> None:
    """The bundle's docker_image, else Codabench's default (said in the report)."""
    if data.get("docker_image"):
        bundle.docker_image = str(data["docker_image"]).strip()
        return
    bundle.notes.append(_("docker_image: not given; Codabench's default %(value)s applies.",
                          value=bundle.docker_image))  # fmt: skip


def logo(data: dict, bundle: Bundle) -> None:
    """judge has no competition logo: the bundle's ``image`` is named as not imported."""
    if data.get("image"):
        bundle.unsupported.append(f"image ({str(data['image'])[:200]}): judge has no "
                                  "competition logo")  # fmt: skip


def page(name: object, where: str, files: Files, bundle: Bundle) -> str | None:
    """The text of a page the yaml names; one the bundle lacks is an error naming the key."""
    text = files.text(name)
    if text is None:
        missing(where, name, bundle)
    return text


def terms(name: object, where: str, files: Files, bundle: Bundle) -> str | None:
    """The terms page the yaml names (kept for the competition's rules)."""
    text = page(name, where, files, bundle)
    bundle.terms = text or ""
    return text


def folder(name: object, where: str, files: Files, bundle: Bundle) -> Path | None:
    """The folder (or unpacked zip) the yaml names at ``where``; one missing or that cannot
    be unpacked is an error naming the key and the file."""
    try:
        found = files.folder(name)
    except DomainError as exc:
        bundle.errors.append(_("%(file)s: %(key)s: “%(path)s”: %(message)s", file=bundle.yaml_name,
                               key=where, path=str(name)[:200], message=exc.message))  # fmt: skip
        return None
    if found is None:
        missing(where, name, bundle)
    return found


def public(item: dict, where: str, files: Files, bundle: Bundle, phase: Phase) -> None:
    """The phase's public_data and starting_kit, which teams download."""
    for part in ("public_data", "starting_kit"):
        if item.get(part) and (found := folder(item[part], f"{where}.{part}", files, bundle)):
            phase.public[part] = found


def missing(where: str, name: object, bundle: Bundle) -> None:
    """A path the yaml names that the bundle does not hold."""
    bundle.errors.append(_("%(file)s: %(key)s names “%(path)s”, which is not in the bundle.",
                           file=bundle.yaml_name, key=where, path=str(name)[:200]))  # fmt: skip


def whole(value: object) -> int | None:
    """A positive whole number, else None."""
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def given(item: dict, key: str, where: str, bundle: Bundle, defaults: dict) -> object:
    """The phase's value, else Codabench's default (said in the report)."""
    if key in item:
        return item[key]
    name = f"{where}.{key}"
    bundle.notes.append(_("%(key)s: not given; Codabench's default %(value)s applies.",
                          key=name, value=defaults[key]))  # fmt: skip
    return defaults[key]


def report_unused(where: str, item: dict, used: set[str], bundle: Bundle) -> None:
    """Name every key of ``item`` that judge does not use."""
    for key in item:
        if key not in used:
            bundle.unsupported.append(f"{where}.{key}" if where else str(key))


DURING_SCORING = N_("%(key)s: the ingestion program (with the team's code) and the scoring "
                    "program run at the same time, sharing /app/shared; what the ingestion "
                    "program writes to $output is the scoring program's $input/res as it is "
                    "written. The reference data is never shown to the team's side.")  # fmt: skip


def during_scoring(flag: object, task: Task, where: str, bundle: Bundle) -> None:
    """CodaLab 1.8's parallel ingestion (Codabench: ``ingestion_only_during_scoring``): the
    two programs run side by side (judge.scoring.code.parallel), said in the report."""
    if flag is True and task.ingestion_program is not None:
        task.during_scoring = True
        bundle.notes.append(_(DURING_SCORING, key=where))
