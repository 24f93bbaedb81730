"""run() and start(): the one way to run anything untrusted."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import threading
import time
from pathlib import Path

from judge.sandbox.command import (
    RunPaths,
    Tools,
    build_command,
    check_mount_source,
    check_mount_target,
)
from judge.sandbox.process import Launch, become_subreaper, spawn
from judge.sandbox.seccomp import filter_bpf, filter_fd, no_links_filter_bpf
from judge.sandbox.slots import Slot, acquire_slot
from judge.sandbox.spec import Job, Limits, Result, SandboxConfig, SandboxUnavailable, Stopped
from judge.sandbox.started import Started, check_inputs
from judge.sandbox.stopping import stopped
from judge.sandbox.workspace import workspace

logger = logging.getLogger(__name__)

PREFLIGHT_JOB = Job(argv=["true"], limits=Limits(cpu_seconds=5, wall_seconds=10.0))
_checked_roots: set[Path] = set()
_checked_lock = threading.Lock()


def run(job: Job, config: SandboxConfig = SandboxConfig()) -> Result:  # noqa: B008
    """Run ``job`` in a fresh sandbox on a free slot and return what happened.

    Raises SandboxUnavailable when nothing can run here (not root, a tool missing, user
    namespaces refused, no free slot within ``config.slot_wait_seconds``) and ValueError
    for a malformed job. A program that fails or hits a limit is a normal Result.
    """
    check_job(job)
    if job.shared:
        raise ValueError("folders shared between jobs need run_together()")
    return _launch(job, config, wait_for_go=False)._finish()


def start(job: Job, config: SandboxConfig = SandboxConfig(),  # noqa: B008
          extra_fds: tuple[int, ...] = ()) -> Started:  # fmt: skip
    """Launch ``job`` now, with an empty /in and a pipe as stdin, and return at once.

    The program should do its slow start-up, then read a line from stdin: ``go`` when
    :meth:`Started.go` has put the inputs in /in (the wall clock starts then), end of file
    when the sandbox was discarded. The slot stays held until go() has returned or
    discard() was called. Raises as :func:`run`; ``job.inputs`` must be empty (they are
    given to go()). ``extra_fds`` are inherited by the program under the same numbers (the
    caller closes its own copies).
    """
    check_job(job)
    if job.inputs:
        raise ValueError("start(): give the inputs to Started.go(), not to the job")
    return _launch(job, config, wait_for_go=True, extra_fds=extra_fds)


@functools.cache
def host_tools() -> Tools:
    """The host programs the sandbox needs; SandboxUnavailable when they are not there."""
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the sandbox must be started as root: it runs each job as a dedicated slot uid"
        )
    found = {name: shutil.which(name) for name in ("prlimit", "nice", "setpriv", "bwrap")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise SandboxUnavailable(
            f"missing {', '.join(missing)}: apt-get install bubblewrap util-linux"
        )
    return Tools(**found)


def check_job(job: Job) -> None:
    """Refuse a malformed job with ValueError before anything is set up."""
    if not job.argv or not all(isinstance(arg, str) for arg in job.argv):
        raise ValueError("job.argv must be a non-empty list of strings")
    if not job.workdir.startswith("/"):
        raise ValueError(f"job.workdir {job.workdir!r} must be absolute")
    for inside, source in job.mounts.items():
        check_mount_target(inside)
        check_mount_source(Path(source))
    for inside in [*job.links, *job.shared, *job.binds]:
        check_mount_target(inside)
    for source in job.binds.values():
        check_mount_source(Path(source))
    check_inputs(job.inputs)


def _launch(job: Job, config: SandboxConfig, wait_for_go: bool,
            extra_fds: tuple[int, ...] = ()) -> Started:  # fmt: skip
    if stopped():
        raise Stopped("not started: the worker is stopping")
    tools = host_tools()
    filter_bpf()
    become_subreaper()
    cleanup = contextlib.ExitStack()
    try:
        slot = cleanup.enter_context(acquire_slot(config))
        _preflight(slot, tools, config.root)
        return launch_in_slot(job, slot, tools, cleanup, wait_for_go, extra_fds)
    except BaseException:
        cleanup.close()
        raise


def launch_in_slot(job: Job, slot: Slot, tools: Tools, cleanup: contextlib.ExitStack,
                   wait_for_go: bool, extra_fds: tuple[int, ...] = ()) -> Started:  # fmt: skip
    """Make the run's workspace and start ``job`` on a slot held by this process; the
    Started closes ``cleanup`` when the run ends. ``extra_fds`` are inherited by the
    program under the same numbers (the caller closes them)."""
    space = cleanup.enter_context(workspace(slot.run_dir, slot.uid, job))
    info_read, info_write = os.pipe2(os.O_CLOEXEC)
    cleanup.callback(os.close, info_read)
    seccomp_fd = filter_fd(no_links_filter_bpf() if job.no_links else None)
    try:
        paths = RunPaths(space.in_dir, space.out_dir, slot.etc_dir, seccomp_fd, info_write)
        launch = Launch(
            argv=build_command(job, slot.uid, paths, tools),
            uid=slot.uid,
            stdout_fd=space.stdout_fd,
            stderr_fd=space.stderr_fd,
            pass_fds=(seccomp_fd, info_write, *extra_fds),
            info_fd=info_read,
            stdin_pipe=wait_for_go,
        )
        since = time.monotonic()
        proc = spawn(launch)
    finally:
        os.close(seccomp_fd)
        os.close(info_write)
    return Started(job, slot, space, cleanup, launch, proc, since)


def run_in_slot(job: Job, slot: Slot, tools: Tools) -> Result:
    """Run ``job`` on a slot already held by this process."""
    cleanup = contextlib.ExitStack()
    try:
        started = launch_in_slot(job, slot, tools, cleanup, wait_for_go=False)
    except BaseException:
        cleanup.close()
        raise
    return started._finish()


def _preflight(slot: Slot, tools: Tools, root: Path) -> None:
    """Once per process and root: check that a trivial job runs, for a clear error if not."""
    with _checked_lock:
        if root in _checked_roots:
            return
    result = run_in_slot(PREFLIGHT_JOB, slot, tools)
    if not result.ok:
        message = result.stderr.decode(errors="replace").strip()
        raise SandboxUnavailable(f"the sandbox does not work here: {message or result}")
    with _checked_lock:
        _checked_roots.add(root)
