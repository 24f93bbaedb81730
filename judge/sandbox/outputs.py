"""Read what a sandboxed program left in /out without trusting it.

The program chose every name and type in there (Judge0 was escaped through a planted
symlink), so the walk goes file descriptor to file descriptor: each entry is opened relative
to its directory's descriptor with O_NOFOLLOW, only regular files are read (fstat), symlinks,
FIFOs, sockets and devices are skipped, and the number of files, the depth and the bytes read
are capped.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

MAX_FILES = 100
MAX_DEPTH = 8
MAX_ENTRIES = 1000  # directory entries looked at, whatever their type

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC
_DIR_FLAGS = _OPEN_FLAGS | os.O_DIRECTORY


@dataclass
class Outputs:
    """Files read so far, and whether anything was left out because of a cap."""

    max_bytes: int
    max_files: int = MAX_FILES
    files: dict[str, bytes] = field(default_factory=dict)
    total_bytes: int = 0
    entries_seen: int = 0
    truncated: bool = False


def read_outputs(path: os.PathLike | str, max_bytes: int, max_files: int = MAX_FILES) -> Outputs:
    """Read the regular files under ``path`` (relative names such as ``sub/a.csv``)."""
    outputs = Outputs(max_bytes, max_files)
    fd = os.open(path, _DIR_FLAGS)
    try:
        _walk(fd, "", 0, outputs)
    finally:
        os.close(fd)
    return outputs


def _walk(dir_fd: int, prefix: str, depth: int, outputs: Outputs) -> None:
    for name in sorted(os.listdir(dir_fd)):
        outputs.entries_seen += 1
        if outputs.entries_seen > MAX_ENTRIES or len(outputs.files) >= outputs.max_files:
            outputs.truncated = True
            return
        _visit(dir_fd, name, prefix + name, depth, outputs)


def _visit(dir_fd: int, name: str, relative: str, depth: int, outputs: Outputs) -> None:
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError as exc:
        logger.info("sandbox output %r skipped: %s", relative, exc)
        return
    if stat.S_ISDIR(mode) and depth < MAX_DEPTH:
        _visit_dir(dir_fd, name, relative, depth, outputs)
    elif stat.S_ISREG(mode):
        _read_file(dir_fd, name, relative, outputs)
    else:
        logger.info("sandbox output %r skipped: not a regular file or too deep", relative)


def _visit_dir(dir_fd: int, name: str, relative: str, depth: int, outputs: Outputs) -> None:
    fd = _open_at(dir_fd, name, _DIR_FLAGS)
    if fd is None:
        return
    try:
        _walk(fd, relative + "/", depth + 1, outputs)
    finally:
        os.close(fd)


def _read_file(dir_fd: int, name: str, relative: str, outputs: Outputs) -> None:
    fd = _open_at(dir_fd, name, _OPEN_FLAGS)
    if fd is None:
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        budget = outputs.max_bytes - outputs.total_bytes
        data = _read_at_most(fd, budget + 1)
    finally:
        os.close(fd)
    if len(data) > budget:
        outputs.truncated = True
        logger.info("sandbox output %r skipped: over the output byte cap", relative)
        return
    outputs.files[relative] = data
    outputs.total_bytes += len(data)


def _open_at(dir_fd: int, name: str, flags: int) -> int | None:
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:  # ELOOP: a symlink swapped in; ENOTDIR, EACCES, ...
        logger.info("sandbox output %r skipped: %s", name, exc)
        return None


def _read_at_most(fd: int, size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
