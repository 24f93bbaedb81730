"""run_together(): several jobs at the same time, each in its own sandbox on its own slot,
sharing size-capped folders (CodaLab 1.8's parallel ingestion, judge.scoring.code.parallel).

Each shared folder is a tmpfs made for the run under ``<root>/shared`` (a neutral path, root
0711) and removed after it. A folder with a writer belongs to that job's slot uid (0755): the
writer binds it writable, the others read-only. A folder without a writer is 1777: every job
writes, and none can remove or replace another's files. Each job keeps everything else of a
sandbox run: its own uid, namespaces (so no job sees another's processes), rlimits, /tmp and
/out, and its own wall-clock limit.

When a job ends without success (a non-zero status, a signal or a limit), the jobs still
running are killed: they are reported as stopped, and their results are not to be used.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from judge.sandbox.process import become_subreaper
from judge.sandbox.runner import _preflight, check_job, host_tools, launch_in_slot
from judge.sandbox.seccomp import filter_bpf
from judge.sandbox.slots import Slot, acquire_slot
from judge.sandbox.spec import Job, Result, SandboxConfig, Stopped
from judge.sandbox.started import Started
from judge.sandbox.stopping import stopped
from judge.sandbox.workspace import OUT_INODES, make_dir, mount_tmpfs, unmount

logger = logging.getLogger(__name__)
_names = itertools.count()


@dataclass(frozen=True)
class Shared:
    """A folder the jobs share: its size, and the job (by index) that alone writes it."""

    size_bytes: int
    writer: int | None = None  # None: every job writes (sticky, like /tmp)


@dataclass(frozen=True)
class Ended:
    """One job's result; ``stopped``: killed because another job failed (do not use it)."""

    result: Result
    stopped: bool = False


@dataclass(frozen=True)
class Together:
    """What each job gave, in order, and how many regular files each shared folder held at
    the end (by name)."""

    ended: list[Ended]
    files: dict[str, int]


def run_together(jobs: list[Job], shared: dict[str, Shared],
                 config: SandboxConfig = SandboxConfig()) -> Together:  # noqa: B008 # fmt: skip
    """Start every job at once and wait for all. A job that fails stops the others. Raises
    as :func:`judge.sandbox.run`."""
    for job in jobs:
        check_job(job)
        if set(job.shared.values()) - set(shared):
            raise ValueError(f"unknown shared folder in {job.shared}")
    if stopped():
        raise Stopped("not started: the worker is stopping")
    tools = host_tools()
    filter_bpf()
    become_subreaper()
    with contextlib.ExitStack() as stack:
        slots = [stack.enter_context(acquire_slot(config)) for _ in jobs]
        _preflight(slots[0], tools, config.root)
        folders = {name: stack.enter_context(_folder(config.root, spec, slots))
                   for name, spec in shared.items()}  # fmt: skip
        bound = [_bound(job, index, folders, shared) for index, job in enumerate(jobs)]
        started = _launch_all(bound, slots, tools)
        ended = _wait_all(started)
        return Together(ended, {name: _regular_files(path) for name, path in folders.items()})


def _regular_files(folder: Path) -> int:
    """Regular files under ``folder``, links not followed."""
    return sum(
        1 for top, _dirs, names in os.walk(folder)
        for name in names if stat.S_ISREG(os.lstat(os.path.join(top, name)).st_mode)
    )  # fmt: skip


@contextlib.contextmanager
def _folder(root: Path, spec: Shared, slots: list[Slot]) -> Iterator[Path]:
    base = root / "shared"
    make_dir(base, 0o711, exist_ok=True)
    path = base / f"{slots[0].index}-{next(_names)}"
    make_dir(path, 0o700)
    owner = 0 if spec.writer is None else slots[spec.writer].uid
    mode = "1777" if spec.writer is None else "0755"
    options = f"size={spec.size_bytes},nr_inodes={OUT_INODES},mode={mode},uid={owner},gid={owner}"
    try:
        if not mount_tmpfs(path, options):
            raise OSError(f"cannot mount a tmpfs on {path} for a shared folder")
        yield path
    finally:
        if path.is_mount():
            unmount(path)
        shutil.rmtree(path, ignore_errors=True)


def _bound(job: Job, index: int, folders: dict[str, Path], shared: dict[str, Shared]) -> Job:
    """The job with its shared folders as writable binds or read-only mounts."""
    binds, mounts = dict(job.binds), dict(job.mounts)
    for inside, name in job.shared.items():
        writer = shared[name].writer
        (binds if writer in (None, index) else mounts)[inside] = folders[name]
    return replace(job, shared={}, binds=binds, mounts=mounts)


def _launch_all(jobs: list[Job], slots: list[Slot], tools) -> list[Started]:
    started: list[Started] = []
    try:
        for job, slot in zip(jobs, slots, strict=True):
            cleanup = contextlib.ExitStack()
            try:
                started.append(launch_in_slot(job, slot, tools, cleanup, wait_for_go=False))
            except BaseException:
                cleanup.close()
                raise
    except BaseException:
        for run in started:
            run.kill()
            with contextlib.suppress(Exception):
                run._finish()
        raise
    return started


def _wait_all(started: list[Started]) -> list[Ended]:
    """Wait for every run in its own thread; the first that fails kills the others."""
    results: list[Result | None] = [None] * len(started)
    errors: list[BaseException] = []
    first: list[int] = []  # the run whose failure stopped the others
    lock = threading.Lock()

    def wait_for(index: int) -> None:
        try:
            results[index] = started[index]._finish()
            failed = not results[index].ok
        except BaseException as exc:
            errors.append(exc)
            failed = True
        with lock:
            if failed and not first:
                first.append(index)
                for other, run in enumerate(started):
                    if other != index:
                        run.kill()

    threads = [threading.Thread(target=wait_for, args=(i,)) for i in range(len(started))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [Ended(result, stopped=bool(first) and i != first[0] and not result.ok)
            for i, result in enumerate(results)]  # fmt: skip
