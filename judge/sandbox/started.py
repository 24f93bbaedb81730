"""A sandbox whose program is running: told to go with its inputs, or discarded.

:func:`judge.sandbox.start` launches a program before its job has arrived, on a slot it
holds until the run ends; the program does its slow start-up (imports) and then waits for a
line on stdin. :meth:`Started.go` copies the inputs into the run's in-dir (bound read-only
as /in), writes ``go`` and waits, the wall clock counting from then. Each Started serves one
job: after go() or discard() its slot, workspace and processes are gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from judge.sandbox.outcome import Ending, exit_and_signal, hit_limit
from judge.sandbox.outputs import read_outputs
from judge.sandbox.process import (
    Finished,
    Launch,
    close_stdin,
    has_exited,
    kill_and_reap_uid,
    send_go,
    wait,
)
from judge.sandbox.slots import Slot
from judge.sandbox.spec import Job, Limits, Result, SandboxUnavailable, Stopped
from judge.sandbox.workspace import Workspace, copy_inputs, input_name, read_tail

logger = logging.getLogger(__name__)


class Started:
    """A launched sandbox on a held slot: go() once, or discard(). If two threads call
    them, one wins and a go() that lost raises RuntimeError."""

    def __init__(self, job: Job, slot: Slot, space: Workspace, cleanup: contextlib.ExitStack,
                 launch: Launch, proc: subprocess.Popen, since: float) -> None:  # fmt: skip
        self.job = job
        self.slot = slot
        self._space = space
        self._cleanup = cleanup  # closes the info pipe, removes the workspace, frees the slot
        self._launch = launch
        self._proc = proc
        self._since = since  # when the wall clock started: the spawn, then the go
        self._done = False
        self._lock = threading.Lock()
        self._owner = os.getpid()  # a forked child must not touch its parent's sandbox

    def alive(self) -> bool:
        """True while the program is still running and waiting for go()."""
        try:
            return not self._done and not has_exited(self._proc.pid)
        except ChildProcessError:  # reaped meanwhile by a go() or discard() in another thread
            return False

    def go(self, inputs: dict[str, Path]) -> Result:
        """Copy ``inputs`` to /in, tell the program to go, and wait for it (wall clock from
        now). The sandbox is gone afterwards, whatever happened. Raises ValueError for a bad
        input and SandboxUnavailable when bwrap did not start."""
        self._claim()
        try:
            check_inputs(inputs)
            copy_inputs(self._space.in_dir, inputs)
        except BaseException:
            self._end()
            raise
        self._since = time.monotonic()
        send_go(self._proc)
        return self._finish()

    def send_line(self, line: bytes) -> None:
        """Write ``line`` to the program's stdin (a warm sandbox's next job, see
        :mod:`judge.sandbox.warm`); OSError when the program is gone."""
        self._proc.stdin.write(line)
        self._proc.stdin.flush()

    @property
    def in_dir(self) -> Path:
        """The host directory shown read-only as /in (its later contents appear too)."""
        return self._space.in_dir

    def discard(self) -> None:
        """Kill the program's tree, reap it and clean up; nothing happens if already ended."""
        with self._lock:
            if self._done:
                return
            self._done = True
        self._end()
        logger.info("sandbox slot %d: pre-started %s discarded", self.slot.index, self.job.argv[0])

    def kill(self) -> None:
        """Kill the program's tree now, from any thread; the thread waiting in its run sees
        it end (run_together stops the other jobs this way). Nothing once it was reaped."""
        if self._proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGKILL)

    def _claim(self) -> None:
        with self._lock:
            if self._done:
                raise RuntimeError("this sandbox has already run or been discarded")
            self._done = True

    def _finish(self) -> Result:
        """Wait for the end (wall clock from ``_since``), read what came out, clean up."""
        self._done = True
        try:
            finished = wait(self._proc, self._launch, self._since, self.job.limits.wall_seconds)
            if finished.stopped:
                raise Stopped(f"sandbox slot {self.slot.index}: killed, the worker is stopping")
            if not finished.started and not finished.timed_out:
                raise SandboxUnavailable(f"bwrap did not start: {_stderr_text(self._space)}")
            result = _result(self.job.limits, self._space, finished)
        finally:
            close_stdin(self._proc)
            self._cleanup.close()
        logger.info(
            "sandbox slot %d: %s exit=%s signal=%s limit=%s wall=%.3fs cpu=%.3fs",
            self.slot.index, self.job.argv[0], result.exit_code, result.signal, result.limit,
            result.wall_seconds, result.cpu_seconds,
        )  # fmt: skip
        return result

    def _end(self) -> None:
        """Kill whatever still runs, reap it, clean up (no result). The slot is still ours,
        so whatever runs as its uid belongs to this run."""
        try:
            close_stdin(self._proc)
            wait(self._proc, self._launch, time.monotonic(), 0.0)
            kill_and_reap_uid(self.slot.uid)
        finally:
            self._cleanup.close()

    def __del__(self) -> None:
        # Dropped without go() or discard(): at least stop the program before the slot's
        # workspace and lock are released by the garbage collector.
        if not getattr(self, "_done", True) and self._owner == os.getpid():
            with contextlib.suppress(OSError):
                os.killpg(self._proc.pid, signal.SIGKILL)


def check_inputs(inputs: dict[str, Path]) -> None:
    """Refuse bad input names and sources that are not files, with ValueError."""
    for name, source in inputs.items():
        input_name(name)
        if not Path(source).is_file():
            raise ValueError(f"input {name!r}: {source} is not a file")


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
