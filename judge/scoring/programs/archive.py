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

from judge.core.errors import Invalid

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
        _check_name(source.name, what)
        shutil.copyfile(source, target / source.name)
    else:
        raise Invalid(f"The {what} {source.name!r} is not a folder, a zip or a file.")
    return target


def _copy_folder(source: Path, target: Path, what: str, caps: Caps) -> None:
    budget = _Budget(what, caps)
    for path in sorted(source.rglob("*")):
        mode = path.lstat().st_mode
        relative = path.relative_to(source).as_posix()
        if stat.S_ISLNK(mode):
            raise Invalid(f"The {what} contains a link, {relative!r}; links are not allowed.")
        if stat.S_ISDIR(mode):
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif stat.S_ISREG(mode):
            budget.add_file(path.stat().st_size)
            shutil.copyfile(path, target / relative)
        else:
            raise Invalid(f"The {what} contains {relative!r}, which is not a regular file.")


def _extract_zip(source: Path, target: Path, what: str, caps: Caps) -> None:
    budget = _Budget(what, caps)
    try:
        with zipfile.ZipFile(source) as archive:
            for entry in archive.infolist():
                _extract_entry(archive, entry, target, budget)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise Invalid(f"The {what} is not a readable zip file ({exc}).") from None


def _extract_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path,
                   budget: _Budget) -> None:  # fmt: skip
    name = _check_name(entry.filename, budget.what)
    kind = stat.S_IFMT(entry.external_attr >> 16)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise Invalid(f"The {budget.what} contains {entry.filename!r}, which is a link or "
                      "a special file; only files and folders are allowed.")  # fmt: skip
    if entry.flag_bits & 0x1:
        raise Invalid(f"The {budget.what} contains an encrypted entry, {entry.filename!r}.")
    if entry.is_dir():
        (target / name).mkdir(parents=True, exist_ok=True)
        return
    budget.add_file(0)
    (target / name).parent.mkdir(parents=True, exist_ok=True)
    with archive.open(entry) as reader, open(target / name, "wb") as writer:
        while chunk := reader.read(CHUNK):
            budget.add_bytes(len(chunk))
            writer.write(chunk)


def _check_name(name: str, what: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [p for p in path.parts if p not in ("", ".")]
    if path.is_absolute() or ".." in parts or "\0" in name or not parts:
        raise Invalid(f"The {what} contains an unsafe path, {name!r}: use relative names "
                      "without '..'.")  # fmt: skip
    return "/".join(parts)


class _Budget:
    """Counts files and bytes as they are written and stops at the caps."""

    def __init__(self, what: str, caps: Caps) -> None:
        self.what, self.caps = what, caps
        self.files = self.bytes = 0

    def add_file(self, size: int) -> None:
        self.files += 1
        if self.files > self.caps.max_files:
            raise Invalid(f"The {self.what} has more than {self.caps.max_files:,} files.")
        self.add_bytes(size)

    def add_bytes(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.caps.max_bytes:
            raise Invalid(f"The {self.what} unpacks to more than "
                          f"{self.caps.max_bytes // (1024 * 1024):,} MiB.")  # fmt: skip
