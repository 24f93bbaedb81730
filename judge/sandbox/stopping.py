"""Ending every sandbox run of this process at once: its worker is shutting down.

:func:`stop` is for a worker whose shutdown grace period has run out. From then on, in this
process, a run being waited for ends at once (its process tree killed and reaped, its slot
freed) with :class:`~judge.sandbox.spec.Stopped`, and so does every later run or start. A
process stops once; a child forked from it has its own state.

The waits poll :func:`wake_fd` beside the program's pidfd, so :func:`stop` may be called from
any thread (not from a signal handler: it may take a lock).
"""

from __future__ import annotations

import contextlib
import os
import threading

_lock = threading.Lock()
_pipe: tuple[int, int, int] | None = None  # (pid, read end, write end) of this process
_stopped_in: int | None = None  # the pid of the process that was stopped


def stop() -> None:
    """End this process's sandbox runs now and refuse new ones."""
    global _stopped_in
    _stopped_in = os.getpid()
    with contextlib.suppress(BlockingIOError):  # already readable: one byte is enough
        os.write(_fds()[1], b"s")


def stopped() -> bool:
    return _stopped_in == os.getpid()


def wake_fd() -> int:
    """A descriptor that becomes readable when this process is stopped."""
    return _fds()[0]


def _fds() -> tuple[int, int]:
    global _pipe
    with _lock:
        if _pipe is None or _pipe[0] != os.getpid():  # none yet, or the parent's
            read, write = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
            _pipe = (os.getpid(), read, write)
        return _pipe[1], _pipe[2]
