"""Start the sandbox command, enforce the wall clock, and reap everything it leaves.

bwrap's outer process exits as soon as the program does, without waiting for the sandbox's
pid 1 (bwrap's init), which is then orphaned. Left to the host's init it may stay a zombie
counted against the slot uid's RLIMIT_NPROC (about 70 fast runs exhaust it). This process
therefore makes itself a child subreaper, learns pid 1's host pid from ``bwrap --info-fd``
and reaps it; its rusage also carries the CPU time of everything that ran inside.

A run is started (:func:`spawn`) and waited for (:func:`wait`) in two steps, so that a
program can be started before its job arrives and told to go (:func:`send_go`) later; the
wall clock then counts from the go.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from judge.sandbox import stopping

logger = logging.getLogger(__name__)

PR_SET_CHILD_SUBREAPER = 36
REAP_SECONDS = 5.0  # how long pid 1 may take to die once the outer bwrap is gone
HOST_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
GO = b"go\n"  # what a pre-started program reads on stdin when its job has arrived

_subreaper_lock = threading.Lock()
_subreaper = False


@dataclass(frozen=True)
class Finished:
    """How the command ended: its wait status, whether the wall clock (or a stop of this
    process, :mod:`judge.sandbox.stopping`) killed it, times."""

    returncode: int  # as subprocess reports it: -N when killed by signal N
    started: bool  # bwrap got as far as starting the sandbox's pid 1
    timed_out: bool
    cpu_seconds: float
    wall_seconds: float
    stopped: bool = False


def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (once per process)."""
    global _subreaper
    with _subreaper_lock:
        if not _subreaper:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0:
                _subreaper = True
            else:
                logger.warning("prctl(PR_SET_CHILD_SUBREAPER) failed: zombies may pile up")
        return _subreaper


@dataclass(frozen=True)
class Launch:
    """What to start: ``argv`` drops to ``uid``; ``pass_fds`` are inherited by it and
    ``info_fd`` is the read end of the pipe given to ``bwrap --info-fd`` (the caller owns
    and closes all descriptors). With ``stdin_pipe`` the program's stdin is a pipe that
    :func:`send_go` writes to; otherwise it is /dev/null."""

    argv: list[str]
    uid: int
    stdout_fd: int
    stderr_fd: int
    pass_fds: tuple[int, ...]
    info_fd: int
    stdin_pipe: bool = False


def spawn(launch: Launch) -> subprocess.Popen:
    """Start ``launch.argv`` in a new session (its process group is the one to kill)."""
    return subprocess.Popen(
        launch.argv,
        stdin=subprocess.PIPE if launch.stdin_pipe else subprocess.DEVNULL,
        stdout=launch.stdout_fd,
        stderr=launch.stderr_fd,
        pass_fds=launch.pass_fds,
        start_new_session=True,
        env=HOST_ENV,
    )


def send_go(proc: subprocess.Popen) -> None:
    """Write ``go`` to the program's stdin and close it; a program already gone is fine."""
    with contextlib.suppress(OSError):  # BrokenPipeError: no reader left
        proc.stdin.write(GO)
        proc.stdin.flush()
    close_stdin(proc)


def close_stdin(proc: subprocess.Popen) -> None:
    if proc.stdin is not None:
        with contextlib.suppress(OSError):  # BrokenPipeError when flushing leftovers
            proc.stdin.close()


def has_exited(pid: int) -> bool:
    """True once ``pid`` (our child, not yet reaped) has exited."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def wait(proc: subprocess.Popen, launch: Launch, since: float, wall_seconds: float) -> Finished:
    """Wait until ``proc`` ends, SIGKILLing its process group ``wall_seconds`` after
    ``since`` (monotonic), or as soon as this process is stopped; then reap the sandbox's
    pid 1 too."""
    timed_out = True  # also when interrupted: never leave the sandbox running
    try:
        timed_out = not _wait_exit(proc.pid, since + wall_seconds - time.monotonic())
    finally:
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        _, status, usage = os.wait4(proc.pid, 0)
    stopped = timed_out and stopping.stopped()
    proc.returncode = os.waitstatus_to_exitcode(status)
    init_pid = _init_pid(launch.info_fd)
    cpu = _cpu(usage) + _reap_sandbox_init(init_pid, launch.uid)
    wall = time.monotonic() - since
    return Finished(proc.returncode, init_pid is not None, timed_out and not stopped, cpu, wall,
                    stopped)  # fmt: skip


def _wait_exit(pid: int, timeout: float) -> bool:
    """Wait until ``pid`` (our child) has exited, without reaping it. False on timeout, or
    at once when this process is stopped."""
    if stopping.stopped():
        return has_exited(pid)
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return _poll_exit(pid, timeout)
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(stopping.wake_fd(), select.POLLIN)
        ready = poller.poll(max(0, int(timeout * 1000)))
        return any(fd == pidfd for fd, _ in ready)
    finally:
        os.close(pidfd)


def _poll_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if has_exited(pid):
            return True
        if time.monotonic() >= deadline or stopping.stopped():
            return False
        time.sleep(0.005)


def _init_pid(info_fd: int) -> int | None:
    """The host pid of the sandbox's pid 1, from what bwrap wrote to its info pipe."""
    os.set_blocking(info_fd, False)
    try:
        data = os.read(info_fd, 65536)
    except BlockingIOError:
        data = b""
    try:
        return int(json.loads(data)["child-pid"])
    except (ValueError, KeyError, TypeError):
        return None  # bwrap failed before it started the sandbox


def _reap_sandbox_init(pid: int | None, uid: int) -> float:
    """Reap the orphaned sandbox pid 1 (adopted as subreaper); its CPU seconds.

    The pid is only trusted as far as it names a process of the slot uid.
    """
    if pid is None or _uid(str(pid)) != uid:
        return 0.0
    try:
        if not _wait_exit(pid, REAP_SECONDS) and _uid(str(pid)) == uid:
            logger.warning("sandbox init %d outlived bwrap; killing it", pid)
            os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
    except ChildProcessError:
        return 0.0  # not adopted by us (no subreaper): the host's init reaps it
    return _cpu(usage)


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def kill_and_reap_uid(uid: int) -> None:
    """SIGKILL what still runs as ``uid`` and reap those this process adopted.

    For a run ended within milliseconds of its start: bwrap killed before it reported its
    pid 1 (or before pid 1 armed its parent-death signal) leaves that pid 1 running. For a
    sandbox of many processes (a warm one): those are adopted here only once their own
    parents have died, so this repeats until none is left or REAP_SECONDS have passed.
    """
    deadline = time.monotonic() + REAP_SECONDS
    while (pids := pids_of_uid(uid)) and time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.005)


def kill_uid_processes(uid: int) -> int:
    """SIGKILL every process whose real uid is ``uid``; returns how many were signalled."""
    killed = 0
    for pid in pids_of_uid(uid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed += 1
    return killed


def pids_of_uid(uid: int) -> list[int]:
    """Pids of the live or zombie processes whose real uid is ``uid``."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and _uid(name) == uid]


def _uid(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None
