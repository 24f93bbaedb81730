"""The per-run directory of a slot: inputs copied in, the /out tmpfs, stdout and stderr files.

Layout of ``<root>/slot-N/run`` (root-owned, 0755, inside the 0750 slot directory)::

    in/       copies of the job's inputs, root-owned 0644 under 0755 dirs; the directory is
              bound read-only as a whole, so inputs copied in after the start appear too
    out/      a tmpfs of limits.output_bytes owned by the slot uid, mode 0700; bound read-write
    stdout    the program's stdout, written through an inherited descriptor (RLIMIT_FSIZE holds)
    stderr    the same for stderr

If the tmpfs cannot be mounted, out/ is a plain directory owned by the slot uid: then only
RLIMIT_FSIZE (per file) and the disk bound what the program writes there, and the output
reader's byte cap decides what is accepted.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from judge.sandbox.spec import Job, Limits

logger = logging.getLogger(__name__)

MS_NOSUID = 2
MS_NODEV = 4
MNT_DETACH = 2
OUT_INODES = 4096  # files + directories in /out; the reader accepts far fewer
_libc = ctypes.CDLL(None, use_errno=True)
_warned_no_tmpfs = False


@dataclass(frozen=True)
class Workspace:
    """Paths and open log descriptors of one run."""

    path: Path
    in_dir: Path
    out_dir: Path
    out_is_tmpfs: bool
    stdout_fd: int
    stderr_fd: int

    @property
    def stdout_path(self) -> Path:
        return self.path / "stdout"

    @property
    def stderr_path(self) -> Path:
        return self.path / "stderr"

    def out_is_full(self) -> bool:
        """True when the /out tmpfs has no free block left (the program met ENOSPC there)."""
        return self.out_is_tmpfs and os.statvfs(self.out_dir).f_bavail == 0


@contextlib.contextmanager
def workspace(run_dir: Path, uid: int, job: Job) -> Iterator[Workspace]:
    """Create the run directory for ``job`` run as ``uid``; remove it all afterwards."""
    make_dir(run_dir, 0o755)
    fds: list[int] = []
    try:
        make_dir(run_dir / "in", 0o755)
        copy_inputs(run_dir / "in", job.inputs)
        out_is_tmpfs = make_out_dir(run_dir / "out", uid, job.limits)
        fds = [_open_log(run_dir / name) for name in ("stdout", "stderr")]
        yield Workspace(run_dir, run_dir / "in", run_dir / "out", out_is_tmpfs, *fds)
    finally:
        for fd in fds:
            os.close(fd)
        remove_run_dir(run_dir)


def copy_inputs(in_dir: Path, inputs: dict[str, Path]) -> None:
    """Copy each input to ``in_dir/<name>`` as a root-owned 0644 file under 0755 dirs."""
    for name, source in inputs.items():
        target = in_dir / input_name(name)
        for parent in reversed(target.relative_to(in_dir).parents[:-1]):
            make_dir(in_dir / parent, 0o755, exist_ok=True)
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)


def make_dir(path: Path, mode: int, exist_ok: bool = False) -> None:
    """mkdir with exactly ``mode``, whatever this process's umask."""
    path.mkdir(exist_ok=exist_ok)
    os.chmod(path, mode)


def input_name(name: str) -> PurePosixPath:
    """Check an input name: a relative path without '.', '..' or empty parts."""
    path = PurePosixPath(name)
    parts = name.split("/")
    if not name or path.is_absolute() or any(p in ("", ".", "..") for p in parts) or "\0" in name:
        raise ValueError(f"bad input name {name!r}: use a relative path like 'test.csv'")
    return path


def make_out_dir(out_dir: Path, uid: int, limits: Limits) -> bool:
    """Make ``out_dir`` owned by ``uid``: a size-limited tmpfs if possible. True if tmpfs."""
    make_dir(out_dir, 0o700)
    os.chown(out_dir, uid, uid)
    options = f"size={limits.output_bytes},nr_inodes={OUT_INODES},mode=0700,uid={uid},gid={uid}"
    if mount_tmpfs(out_dir, options):
        return True
    _warn_no_tmpfs(out_dir)
    return False


def mount_tmpfs(target: Path, options: str) -> bool:
    """Mount a tmpfs (nosuid, nodev) with ``options`` on ``target``; False if refused."""
    rc = _libc.mount(
        b"tmpfs", os.fsencode(target), b"tmpfs", MS_NOSUID | MS_NODEV, options.encode()
    )
    if rc != 0:
        logger.debug("mount tmpfs on %s: %s", target, os.strerror(ctypes.get_errno()))
    return rc == 0


def unmount(target: Path) -> None:
    """Detach the mount on ``target``."""
    if _libc.umount2(os.fsencode(target), MNT_DETACH) != 0:
        err = ctypes.get_errno()
        logger.error("cannot unmount %s: %s", target, os.strerror(err))


def remove_run_dir(run_dir: Path) -> None:
    """Unmount the out tmpfs if mounted and remove ``run_dir`` (never follows symlinks)."""
    out = run_dir / "out"
    if os.path.ismount(out):
        unmount(out)
    shutil.rmtree(run_dir, ignore_errors=True)


def read_tail(path: Path, size: int) -> bytes:
    """The last ``size`` bytes of ``path``."""
    with open(path, "rb") as file:
        end = file.seek(0, os.SEEK_END)
        file.seek(max(0, end - size))
        return file.read(size)


def _open_log(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)


def _warn_no_tmpfs(out_dir: Path) -> None:
    global _warned_no_tmpfs
    if not _warned_no_tmpfs:
        _warned_no_tmpfs = True
        logger.warning(
            "cannot mount a tmpfs on %s; /out is a plain directory, bounded only per file "
            "(RLIMIT_FSIZE) and by the output reader's byte cap",
            out_dir,
        )
