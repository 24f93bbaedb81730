"""Unpack a program, a reference or a submission (a folder, a zip or one file) safely.

Zips are read entry by entry: absolute names, ``..``, links, devices and encrypted entries
are refused, and the total size and the number of files are capped *while* extracting
(the sizes a zip declares are not trusted), so a zip bomb stops early.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.core.storage import format_size

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Caps:
    max_bytes: int = 512 * 1024 * 1024
    max_files: int = 10_000


def unpack(source: Path, target: Path, what: str, caps: Caps = Caps()) -> Path:
    """Copy a folder, extract a zip, or copy one file into the empty folder ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        _copy_folder(source, target, what, caps)
    elif zipfile.is_zipfile(source):
        _extract_zip(source, target, what, caps)
    elif source.is_file():
        check_name(source.name, what)
        shutil.copyfile(source, target / source.name)
    else:
        raise Invalid(
            _(
                "The %(what)s “%(name)s” is not a folder, a zip or a file.",
                what=what,
                name=source.name,
            )
        )
    return target


def _copy_folder(source: Path, target: Path, what: str, caps: Caps) -> None:
    budget = _Budget(what, caps)
    for path in sorted(source.rglob("*")):
        mode = path.lstat().st_mode
        relative = path.relative_to(source).as_posix()
        if stat.S_ISLNK(mode):
            raise Invalid(
                _(
                    "The %(what)s contains a link, “%(name)s”; links are not allowed.",
                    what=what,
                    name=relative,
                )
            )
        if stat.S_ISDIR(mode):
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif stat.S_ISREG(mode):
            budget.add_file(path.stat().st_size)
            shutil.copyfile(path, target / relative)
        else:
            raise Invalid(
                _(
                    "The %(what)s contains “%(name)s”, which is not a regular file.",
                    what=what,
                    name=relative,
                )
            )


def _extract_zip(source: Path, target: Path, what: str, caps: Caps) -> None:
    budget = _Budget(what, caps)
    try:
        with zipfile.ZipFile(source) as archive:
            for entry in archive.infolist():
                _extract_entry(archive, entry, target, budget)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise Invalid(
            _("The %(what)s is not a readable zip file (%(error)s).", what=what, error=exc)
        ) from None


def _extract_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, budget: _Budget
) -> None:
    name = check_name(entry.filename, budget.what)
    kind = stat.S_IFMT(entry.external_attr >> 16)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise Invalid(
            _(
                "The %(what)s contains “%(name)s”, which is a link or a special file; "
                "only files and folders are allowed.",
                what=budget.what,
                name=entry.filename,
            )
        )
    if entry.flag_bits & 0x1:
        raise Invalid(
            _(
                "The %(what)s contains an encrypted entry, “%(name)s”.",
                what=budget.what,
                name=entry.filename,
            )
        )
    if entry.is_dir():
        (target / name).mkdir(parents=True, exist_ok=True)
        return
    budget.add_file(0)
    (target / name).parent.mkdir(parents=True, exist_ok=True)
    with archive.open(entry) as reader, open(target / name, "wb") as writer:
        while chunk := reader.read(CHUNK):
            budget.add_bytes(len(chunk))
            writer.write(chunk)


def check_name(name: str, what: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [p for p in path.parts if p not in ("", ".")]
    if path.is_absolute() or ".." in parts or "\0" in name or not parts:
        raise Invalid(
            _(
                "The %(what)s contains an unsafe path, “%(name)s”: use relative names "
                "without “..”.",
                what=what,
                name=name,
            )
        )
    return "/".join(parts)


class _Budget:
    """Counts files and bytes as they are written and stops at the caps."""

    def __init__(self, what: str, caps: Caps) -> None:
        self.what, self.caps = what, caps
        self.files = self.bytes = 0

    def add_file(self, size: int) -> None:
        self.files += 1
        if self.files > self.caps.max_files:
            raise Invalid(
                _(
                    "The %(what)s has more than %(count)s files.",
                    what=self.what,
                    count=format(self.caps.max_files, ","),
                )
            )
        self.add_bytes(size)

    def add_bytes(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.caps.max_bytes:
            raise Invalid(
                _(
                    "The %(what)s unpacks to more than %(size)s.",
                    what=self.what,
                    size=format_size(self.caps.max_bytes),
                )
            )
