"""run(): the one way to run anything untrusted."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
from pathlib import Path

from judge.sandbox.command import (
    RunPaths,
    Tools,
    build_command,
    check_mount_source,
    check_mount_target,
)
from judge.sandbox.outcome import Ending, exit_and_signal, hit_limit
from judge.sandbox.outputs import read_outputs
from judge.sandbox.process import Finished, Launch, become_subreaper, execute
from judge.sandbox.seccomp import filter_bpf, filter_fd
from judge.sandbox.slots import Slot, acquire_slot
from judge.sandbox.spec import Job, Limits, Result, SandboxConfig, SandboxUnavailable
from judge.sandbox.workspace import Workspace, input_name, read_tail, workspace

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
    tools = host_tools()
    filter_bpf()
    become_subreaper()
    with acquire_slot(config) as slot:
        _preflight(slot, tools, config.root)
        return run_in_slot(job, slot, tools)


@functools.cache
def host_tools() -> Tools:
    """The host programs the sandbox needs; SandboxUnavailable when they are not there."""
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the sandbox must be started as root: it runs each job as a dedicated slot uid"
        )
    found = {name: shutil.which(name) for name in ("prlimit", "setpriv", "bwrap")}
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
    for name, source in job.inputs.items():
        input_name(name)
        if not Path(source).is_file():
            raise ValueError(f"input {name!r}: {source} is not a file")


def run_in_slot(job: Job, slot: Slot, tools: Tools) -> Result:
    """Run ``job`` on a slot already held by this process."""
    with workspace(slot.run_dir, slot.uid, job) as space:
        finished = _execute(job, slot, space, tools)
        if not finished.started and not finished.timed_out:
            raise SandboxUnavailable(f"bwrap did not start: {_stderr_text(space)}")
        result = _result(job.limits, space, finished)
    logger.info(
        "sandbox slot %d: %s exit=%s signal=%s limit=%s wall=%.3fs cpu=%.3fs",
        slot.index, job.argv[0], result.exit_code, result.signal, result.limit,
        result.wall_seconds, result.cpu_seconds,
    )  # fmt: skip
    return result


def _execute(job: Job, slot: Slot, space: Workspace, tools: Tools) -> Finished:
    seccomp_fd = filter_fd()
    info_read, info_write = os.pipe2(os.O_CLOEXEC)
    try:
        paths = RunPaths(space.in_dir, space.out_dir, slot.etc_dir, seccomp_fd, info_write)
        launch = Launch(
            argv=build_command(job, slot.uid, paths, tools),
            uid=slot.uid,
            stdout_fd=space.stdout_fd,
            stderr_fd=space.stderr_fd,
            pass_fds=(seccomp_fd, info_write),
            info_fd=info_read,
            wall_seconds=job.limits.wall_seconds,
        )
        return execute(launch)
    finally:
        for fd in (seccomp_fd, info_read, info_write):
            os.close(fd)


def _result(limits: Limits, space: Workspace, finished: Finished) -> Result:
    outputs = read_outputs(space.out_dir, limits.output_bytes)
    stderr = read_tail(space.stderr_path, limits.log_bytes)
    ending = Ending(
        returncode=finished.returncode,
        timed_out=finished.timed_out,
        cpu_exhausted=finished.cpu_seconds >= limits.cpu_seconds,
        stderr_tail=stderr,
        log_at_fsize=_log_at_fsize(space, limits.file_size_bytes),
        out_full=space.out_is_full() or outputs.truncated,
    )
    exit_code, sig = exit_and_signal(finished.returncode)
    return Result(
        exit_code=exit_code,
        signal=sig,
        limit=hit_limit(ending),
        cpu_seconds=finished.cpu_seconds,
        wall_seconds=finished.wall_seconds,
        stdout=read_tail(space.stdout_path, limits.log_bytes),
        stderr=stderr,
        outputs=outputs.files,
    )


def _log_at_fsize(space: Workspace, file_size_bytes: int) -> bool:
    sizes = (os.fstat(fd).st_size for fd in (space.stdout_fd, space.stderr_fd))
    return any(size >= file_size_bytes for size in sizes)


def _stderr_text(space: Workspace) -> str:
    return read_tail(space.stderr_path, 2000).decode(errors="replace").strip()


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
