"""One function run in a forked child, on another core, while this process works on.

The child shares the parent's memory copy-on-write, so its arguments cost nothing to pass.
It sends back bytes through a pipe, with their length first, and leaves with ``os._exit``:
none of the parent's clean-up (atexit, open connections, buffered output) runs in it. Every
signal is blocked from just before the fork until the parent has registered its child, and
stays blocked in the child, so that no handler of the parent (Ctrl-C, a server's SIGQUIT)
ever runs in the child and the parent never loses track of it. If the child cannot be forked
(no ``os.fork``, no process or memory to spare) or sends less than it announced, the parent
computes the bytes itself: the answer is the same either way, only slower.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

_LENGTH = 8  # bytes of the length sent before the data


@contextmanager
def forked(function: Callable[..., bytes], *args) -> Iterator[Callable[[], bytes]]:
    """Start ``function(*args)`` in a forked child; yield a function that waits for and
    returns its bytes. On leaving the block the child is ended (if still running) and
    reaped, whether or not its bytes were taken."""
    if not hasattr(os, "fork"):  # Windows: the client's split runs in one process
        yield partial(function, *args)
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    child = None
    try:
        child = _start(function, args)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        yield partial(function, *args) if child is None else child.result
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if child is not None:
            child.close()


def _start(function: Callable[..., bytes], args: tuple) -> _Child | None:
    """Fork the child (signals are blocked); None if no child can be had."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:  # no process or memory to spare: the work is done here when asked for
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        _child(read_end, write_end, function, args)
    child = _Child(pid, os.fdopen(read_end, "rb"), function, args)
    os.close(write_end)
    return child


class _Child:
    def __init__(self, pid: int, pipe, function: Callable[..., bytes], args: tuple) -> None:
        self.pid, self.pipe, self.function, self.args = pid, pipe, function, args
        self.reaped = False

    def result(self) -> bytes:
        head = self.pipe.read(_LENGTH)
        data = self.pipe.read()
        self.close()
        if len(head) == _LENGTH and int.from_bytes(head, "big") == len(data):
            return data
        return self.function(*self.args)  # the child failed: compute it here

    def close(self) -> None:
        self.pipe.close()
        if self.reaped:
            return
        self.reaped = True
        try:
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):  # still running: no longer wanted
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass  # reaped already by a SIGCHLD handler of this process


def _child(read_end: int, write_end: int, function: Callable[..., bytes], args: tuple) -> None:
    """The child's whole life: its signals stay blocked, and it never returns."""
    code = 1
    try:
        os.close(read_end)
        data = function(*args)
        view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    finally:
        os._exit(code)
