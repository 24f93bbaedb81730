"""Worker slots: each has its own host uid/gid and directory, held with an exclusive flock.

The lock lives on ``<root>/slot-N.lock`` and is released when its file descriptor closes,
so a crashed worker never leaves a slot taken. The slot directory is ``<root>/slot-N``,
mode 0750 owner root, group the slot's gid: only root and that slot can reach its files.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from judge.sandbox.process import kill_uid_processes
from judge.sandbox.spec import SandboxConfig, SandboxUnavailable, Stopped
from judge.sandbox.stopping import stopped
from judge.sandbox.workspace import make_dir, remove_run_dir

logger = logging.getLogger(__name__)

_RETRY_SECONDS = 0.05


@dataclass(frozen=True)
class Slot:
    """A slot held by this process: its number, host uid (= gid) and directory."""

    index: int
    uid: int
    path: Path

    @property
    def run_dir(self) -> Path:
        """Directory of the current run (inputs, outputs, logs); removed after each run."""
        return self.path / "run"

    @property
    def etc_dir(self) -> Path:
        """Directory holding the passwd and group files shown inside the sandbox."""
        return self.path / "etc"


@contextlib.contextmanager
def acquire_slot(config: SandboxConfig) -> Iterator[Slot]:
    """Hold a free slot for the duration of the ``with`` block, waiting for one if needed."""
    _prepare_root(config.root)
    fd, index = _lock_free_slot(config)
    try:
        slot = Slot(index, config.uid_base + index, config.root / f"slot-{index}")
        _prepare_slot(slot)
        yield slot
    finally:
        os.close(fd)  # releases the flock


def _prepare_root(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        os.chown(root, 0, 0)
        os.chmod(root, 0o755)
    except OSError as exc:
        raise SandboxUnavailable(f"cannot prepare sandbox root {root}: {exc}") from exc


def _lock_free_slot(config: SandboxConfig) -> tuple[int, int]:
    deadline = time.monotonic() + config.slot_wait_seconds
    while True:
        start = random.randrange(config.slots)
        for offset in range(config.slots):
            index = (start + offset) % config.slots
            fd = _try_lock(config.root / f"slot-{index}.lock")
            if fd is not None:
                return fd, index
        if stopped():
            raise Stopped("no slot taken: the worker is stopping")
        if time.monotonic() >= deadline:
            raise SandboxUnavailable(
                f"no free sandbox slot among {config.slots} within {config.slot_wait_seconds} s"
            )
        time.sleep(_RETRY_SECONDS)


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _prepare_slot(slot: Slot) -> None:
    make_dir(slot.path, 0o750, exist_ok=True)
    os.chown(slot.path, 0, slot.uid)
    if os.path.lexists(slot.run_dir):
        logger.warning("sandbox slot %d: cleaning up after an unfinished run", slot.index)
        kill_uid_processes(slot.uid)
        remove_run_dir(slot.run_dir)
    _write_identity(slot)


def _write_identity(slot: Slot) -> None:
    """Give the slot's uid a name inside, so getpwuid() and ``id`` work."""
    make_dir(slot.etc_dir, 0o755, exist_ok=True)
    files = {
        "passwd": f"sandbox:x:{slot.uid}:{slot.uid}:sandbox:/tmp:/usr/sbin/nologin\n",
        "group": f"sandbox:x:{slot.uid}:\n",
    }
    for name, text in files.items():
        path = slot.etc_dir / name
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            os.chmod(path, 0o644)
