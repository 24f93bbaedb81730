"""One function run in a forked child, on another core, while this process works on.

The child shares the parent's memory copy-on-write, so its arguments cost nothing to pass.
It sends back bytes through a pipe, with their length first, and leaves with ``os._exit``:
none of the parent's clean-up (atexit, open connections, threads' locks) runs in it. If
the child cannot be forked or sends less than it announced, the parent computes the
bytes itself: the answer is the same either way, only slower.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_LENGTH = 8  # bytes of the length sent before the data


@contextmanager
def forked(function: Callable[..., bytes], *args) -> Iterator[Callable[[], bytes]]:
    """Start ``function(*args)`` in a forked child; yield a function that waits for and
    returns its bytes. On leaving the block the child is ended (if still running) and
    reaped, whether or not its bytes were taken."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:  # no process to spare: the work is done here when asked for
        yield lambda: function(*args)
        return
    if pid == 0:
        _child(read_end, write_end, function, args)
    os.close(write_end)
    child = _Child(pid, os.fdopen(read_end, "rb"), function, args)
    try:
        yield child.result
    finally:
        child.close()


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
