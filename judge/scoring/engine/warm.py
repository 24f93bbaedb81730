"""The warm scorer's parent: ``python -s -E -m engine.warm --reply-fd R --filter-fd F ...``.

It runs as pid 2 of a long-lived sandbox (:mod:`judge.sandbox.warm` on the host side),
imports everything scoring needs once, scores one made-up file (:mod:`.rehearsal`, which
starts no thread), makes itself not dumpable and a child subreaper, reports itself ready
(with anything wrong already: a leftover, a writable shared mapping a job would inherit,
or a second thread, which a fork would not copy), and then serves one job per line read
on stdin (``{"dir": "/in/<n>"}``, the job's inputs copied there by the host). For each job it
forks a child that:

- starts a new session (its own process group), gets /dev/null as stdin and a fresh memfd
  as stdout and stderr, another as its result file (fd 3), and closes every other
  descriptor (the parent's stdin and reply pipe included);
- sets the job's rlimits (CPU, address space, open files, processes, file size, no core);
- stacks the stricter seccomp filter read from ``--filter-fd`` (no signals to pid 1 or 2 or
  to every process, no pidfds, no changing another process's rlimits or scheduling);
- runs the engine's ``main`` on the job's inputs (or that of the module named by
  ``--entry``, imported by the parent: the tests' hostile jobs), and exits without the
  interpreter's teardown.

The parent waits at most ``--wall`` seconds (then SIGKILLs the child's process group),
SIGKILLs every other process of the sandbox (``kill(-1)``) and reaps them, then reports on
fd R one JSON line: the child's wait status, CPU and wall time, its result and stderr tail
(base64), and ``problems``: anything the job left (a process, a file in /tmp, /dev/shm or
/out, a System V IPC object) and a second thread of its own. The host discards the sandbox
when the list is not empty.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import importlib
import json
import os
import resource
import select
import signal
import sys
import time
import traceback

from .__main__ import PRELOAD, main
from .rehearsal import warm_up

PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
PARENT_PID = 2  # bwrap's init is 1; the job filter protects 1 and 2 by number
SCRATCH = ("/tmp", "/dev/shm", "/out")
SYSV_IPC = ("/proc/sysvipc/shm", "/proc/sysvipc/msg", "/proc/sysvipc/sem")
RESULT_FD = 3
MAX_RESULT_BYTES = 1024**2
REAP_SECONDS = 2.0
_libc = ctypes.CDLL(None, use_errno=True)


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def serve(argv: list[str] | None = None) -> int:
    """Import, harden, report ready, then serve jobs until stdin closes."""
    args = _parser().parse_args(argv)
    with os.fdopen(args.filter_fd, "rb") as file:
        job_filter = file.read()
    _harden()
    for name in PRELOAD:
        importlib.import_module(name)
    entry = importlib.import_module(args.entry).main if args.entry else main
    warm_up()
    reply = os.fdopen(args.reply_fd, "wb")
    problems = leftovers() + shared_writable() + threads()
    _send(reply, {"ready": True, "pid": os.getpid(), "problems": problems})
    for line in sys.stdin.buffer:
        _send(reply, _serve(json.loads(line)["dir"], args, job_filter, entry))
    return 0


def _harden() -> None:
    """Not dumpable (no ptrace, no /proc/2/mem, fd, environ for a same-uid child), the
    adopter of every orphan, and a plain death on SIGINT (no KeyboardInterrupt to catch)."""
    if os.getpid() != PARENT_PID:
        raise SystemExit(f"the warm parent must be pid {PARENT_PID}, not {os.getpid()}")
    for option in (PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER):
        _prctl(option, 0 if option == PR_SET_DUMPABLE else 1)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _serve(folder: str, args: argparse.Namespace, job_filter: bytes, entry) -> dict:
    result_fd = os.memfd_create("result", 0)
    log_fd = os.memfd_create("log", 0)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(folder, args, job_filter, (result_fd, log_fd), entry)
        status, cpu, timed_out = _wait(pid, args.wall)
        wall = time.monotonic() - start
        left = _kill_the_rest()
        return {
            "status": status, "cpu": cpu, "wall": wall, "timed_out": timed_out,
            "result": _b64(_read(result_fd, 0, MAX_RESULT_BYTES)),
            "result_size": os.fstat(result_fd).st_size,
            "log": _b64(_tail(log_fd, args.log_bytes)), "log_size": os.fstat(log_fd).st_size,
            "problems": left + leftovers() + threads(),
        }  # fmt: skip
    finally:
        os.close(result_fd)
        os.close(log_fd)


def _child(folder: str, args: argparse.Namespace, job_filter: bytes, fds: tuple[int, int],
           entry) -> None:  # fmt: skip
    status = 1
    result_fd, log_fd = fds
    try:
        os.setsid()
        null = os.open("/dev/null", os.O_RDONLY)
        for fd, target in ((null, 0), (log_fd, 1), (log_fd, 2), (result_fd, RESULT_FD)):
            os.dup2(fd, target)
        os.closerange(RESULT_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        _limit(args)
        _install(job_filter)
        status = entry(["--job", f"{folder}/job.json", "--submission", f"{folder}/submission",
                       "--solution", f"{folder}/solution.parquet",
                       "--output", f"/proc/self/fd/{RESULT_FD}"])  # fmt: skip
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _limit(args: argparse.Namespace) -> None:
    limits = {
        resource.RLIMIT_CPU: (args.cpu, args.cpu + 1),
        resource.RLIMIT_AS: (args.memory, args.memory),
        resource.RLIMIT_NOFILE: (args.nofile, args.nofile),
        resource.RLIMIT_NPROC: (args.nproc, args.nproc),
        resource.RLIMIT_FSIZE: (args.fsize, args.fsize),
        resource.RLIMIT_CORE: (0, 0),
    }
    for name, (soft, hard) in limits.items():
        resource.setrlimit(name, (soft, min(hard, resource.getrlimit(name)[1])))


def _install(job_filter: bytes) -> None:
    """Stack the job's seccomp filter on the sandbox's (no_new_privs is set already)."""
    buffer = ctypes.create_string_buffer(job_filter, len(job_filter))
    program = _Filter(len(job_filter) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(program))


def _prctl(option: int, value: int, pointer: int = 0) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), ctypes.c_void_p(pointer), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _wait(pid: int, wall: float) -> tuple[int, float, bool]:
    """The child's wait status and CPU seconds, SIGKILLing its group after ``wall`` s."""
    pidfd = os.pidfd_open(pid)
    try:
        timed_out = not select.select([pidfd], [], [], wall)[0]
    finally:
        os.close(pidfd)
    if timed_out:
        os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    return status, usage.ru_utime + usage.ru_stime, timed_out


def _kill_the_rest() -> list[str]:
    """SIGKILL every process of the sandbox but init and this one, reap them; what was left."""
    left = _other_pids()
    if left:
        os.kill(-1, signal.SIGKILL)
    deadline = time.monotonic() + REAP_SECONDS
    while _other_pids() and time.monotonic() < deadline:
        _reap()
        time.sleep(0.01)
    return [f"process {pid} left running" for pid in left]


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _other_pids() -> list[int]:
    return [int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) not in (1, os.getpid())]


def leftovers() -> list[str]:
    """Processes, files in the shared scratch directories and IPC objects still there."""
    found = [f"process {pid} still there" for pid in _other_pids()]
    for folder in SCRATCH:
        found += [f"{folder}/{name} left" for name in os.listdir(folder)]
    for table in SYSV_IPC:
        with open(table) as file:
            found += [f"{table}: {row.split()[1]} left" for row in file.readlines()[1:]]
    return found


def threads() -> list[str]:
    """A second thread of this process: fork() copies only the calling thread, so a lock
    another thread held would stay locked in every child. The host refuses the parent."""
    count = len(os.listdir("/proc/self/task"))
    return [] if count == 1 else [f"the warm parent runs {count} threads, not 1"]


def shared_writable() -> list[str]:
    """Writable shared mappings of this process: a job would inherit them and could write
    what a later job reads. The host refuses a parent that has any."""
    with open("/proc/self/maps") as maps:
        rows = [row.split() for row in maps]
    return [f"shared writable mapping {' '.join(row[5:]) or row[0]}" for row in rows
            if row[1][1] == "w" and row[1][3] == "s"]  # fmt: skip


def _read(fd: int, offset: int, size: int) -> bytes:
    return os.pread(fd, size, offset)


def _tail(fd: int, size: int) -> bytes:
    end = os.fstat(fd).st_size
    return _read(fd, max(0, end - size), size)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _send(reply, message: dict) -> None:
    reply.write(json.dumps(message).encode() + b"\n")
    reply.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="engine.warm", description="Serve scoring jobs.")
    for name in ("reply-fd", "filter-fd", "memory", "nofile", "nproc", "fsize", "log-bytes",
                 "cpu"):  # fmt: skip
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--wall", type=float, required=True)
    parser.add_argument("--entry", help="Module whose main(argv) a job runs (tests).")
    return parser


if __name__ == "__main__":
    sys.exit(serve())
