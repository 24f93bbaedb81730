"""Turn how a run ended into Result fields: exit code or signal, and which limit was hit."""

from __future__ import annotations

import signal
from dataclasses import dataclass

#: Signs in stderr that a failed program ran out of memory under RLIMIT_AS.
MEMORY_SIGNS = (b"MemoryError", b"Cannot allocate memory", b"std::bad_alloc", b"out of memory")
#: Signs in stderr that a failed program could not start a process or thread (RLIMIT_NPROC).
PROCESS_SIGNS = (
    b"BlockingIOError",
    b"Resource temporarily unavailable",
    b"Can't fork",
    b"can't start new thread",
    b"pthread_create failed",
)
#: Signs in stderr that a write hit RLIMIT_FSIZE (Python ignores SIGXFSZ and gets EFBIG).
FILE_SIZE_SIGNS = (b"File too large", b"[Errno 27]")
MAX_SIGNAL = 64


@dataclass(frozen=True)
class Ending:
    """What is known once the sandbox has gone."""

    returncode: int  # -N when the outer bwrap was killed by signal N
    timed_out: bool
    cpu_exhausted: bool  # the CPU time used reached the per-process limit
    stderr_tail: bytes
    log_at_fsize: bool  # stdout or stderr reached RLIMIT_FSIZE
    out_full: bool  # /out had no space left, or the output reader had to leave files out


def exit_and_signal(returncode: int) -> tuple[int | None, int | None]:
    """Split a return code into (exit_code, signal).

    bwrap reports a program killed by signal N as exit status 128 + N; that is decoded as
    the signal (a program exiting with such a status on purpose is indistinguishable).
    """
    if returncode < 0:
        return None, -returncode
    if 128 < returncode <= 128 + MAX_SIGNAL:
        return None, returncode - 128
    return returncode, None


def hit_limit(ending: Ending) -> str | None:
    """The limit the run hit, best effort, or None."""
    exit_code, sig = exit_and_signal(ending.returncode)
    failed = exit_code != 0
    if ending.timed_out:
        return "wall_time"
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and ending.cpu_exhausted):
        return "cpu_time"
    if sig == signal.SIGXFSZ or ending.log_at_fsize or (failed and _has(ending, FILE_SIZE_SIGNS)):
        return "file_size"
    if ending.out_full:
        return "output_size"
    if sig == signal.SIGKILL or (failed and _has(ending, MEMORY_SIGNS)):
        return "memory"  # a SIGKILL we did not send is the kernel's OOM killer
    if failed and _has(ending, PROCESS_SIGNS):
        return "processes"
    return None


def _has(ending: Ending, signs: tuple[bytes, ...]) -> bool:
    return any(sign in ending.stderr_tail for sign in signs)
