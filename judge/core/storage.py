"""Local file storage addressed by content hash, under STORAGE_DIR.

An upload is first staged (streamed to a temporary file while hashing and
counting, refused as soon as it passes its size limit), then, once the
caller has checked it, put in place under ``blobs/ab/cdef…``. A file put in
place inside ``unit_of_work`` is removed again if the transaction rolls back.
"""

from __future__ import annotations

import contextvars
import errno
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from judge.core.errors import InsufficientStorage, TooLarge

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
_new_files: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar(
    "judge_new_files", default=None
)


@dataclass(frozen=True)
class StagedFile:
    path: Path
    sha256: str
    size: int


def root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def path_of(key: str) -> Path:
    """The on-disk path of a stored blob (keys are hex digests, never user text)."""
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("not a storage key")
    return root() / "blobs" / key[:2] / key[2:]


@contextmanager
def staged(stream: BinaryIO, max_bytes: int, what: str) -> Iterator[StagedFile]:
    """Stream ``stream`` to a temporary file; refuse it past ``max_bytes``."""
    tmp_dir = root() / "tmp"
    with disk_full_refused():
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir)
    path = Path(name)
    try:
        with disk_full_refused():
            digest, size = _copy_counting(stream, fd, max_bytes, what)
        yield StagedFile(path=path, sha256=digest, size=size)
    finally:
        path.unlink(missing_ok=True)


NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def disk_full_refused() -> Iterator[None]:
    """Turn a full disk (or quota) into a clean refusal the uploader can read."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in NO_SPACE:
            raise
        log.error("storage is full under %s: %s", root(), exc)
        raise InsufficientStorage(
            _("The server has no room to store this file right now. Please try again later.")
        ) from None


@contextmanager
def scratch_file(suffix: str = "") -> Iterator[Path]:
    """A temporary path inside the storage area, removed afterwards."""
    tmp_dir = root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=suffix)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _copy_counting(stream: BinaryIO, fd: int, max_bytes: int, what: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(
                    _(
                        "%(what)s is larger than the limit of %(size)s.",
                        what=what,
                        size=format_size(max_bytes),
                    )
                )
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def format_size(size: int) -> str:
    """A byte count for people: 512 B, 20 KiB, 1.5 MiB, 2 GiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def put(staged_file: StagedFile) -> str:
    """Place a staged file under its content hash and return the key."""
    key = staged_file.sha256
    target = path_of(key)
    if _renew(target):
        return key
    partial = target.with_name(target.name + ".part")
    try:
        with disk_full_refused():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged_file.path, partial)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave half a file behind
        raise
    os.replace(partial, target)
    tracked = _new_files.get()
    if tracked is not None:
        tracked.append(target)
    return key


def _renew(target: Path) -> bool:
    """Mark a file already stored as in use again, so the orphan sweep (judge.core.orphans)
    leaves it for another grace period; False when it is not there (or was just swept)."""
    try:
        os.utime(target)
    except FileNotFoundError:
        return False
    return True


@contextmanager
def track_new_files() -> Iterator[list[Path]]:
    created: list[Path] = []
    token = _new_files.set(created)
    try:
        yield created
    finally:
        _new_files.reset(token)
