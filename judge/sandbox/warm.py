"""A warm sandbox: one long-lived sandbox whose program serves many jobs, one fresh child each.

:func:`start_warm` starts ``job.argv`` (the warm parent, e.g. ``python -m engine.warm``) on
a slot it holds until :meth:`Warm.close`, like :func:`judge.sandbox.start`, with two more
descriptors and the job limits appended to its command line::

    --reply-fd R --filter-fd F --cpu S --wall S --memory B --nofile N --nproc N
    --fsize B --log-bytes B

F holds the stricter seccomp filter each job stacks (:func:`seccomp.job_filter_bpf`); on R
the parent writes one JSON line when it has imported everything (``{"ready": true,
"problems": [...]}``) and one per job. :meth:`Warm.run` copies a job's inputs to
``/in/<n>/`` (root-owned, read-only inside), writes ``{"dir": "/in/<n>"}`` to the parent's
stdin, waits at most the wall limit plus :data:`GRACE_SECONDS` for the answer, removes
``/in/<n>`` and returns the job's :class:`Result`. The answer names the child's wait status,
CPU and wall time, its result file and log tail (base64), and ``problems``: anything the
job left behind. The sandbox is discarded (its whole tree killed, its slot freed) when the
answer is late or malformed, when the parent is gone, when ``problems`` is not empty, and
after ``max_jobs`` jobs; the next job then gets a fresh sandbox.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import select
import shutil
import time
from pathlib import Path

from judge.sandbox.outcome import Ending, exit_and_signal, hit_limit
from judge.sandbox.runner import start
from judge.sandbox.seccomp import filter_fd, job_filter_bpf
from judge.sandbox.spec import Job, Limits, Result, SandboxConfig, SandboxUnavailable
from judge.sandbox.started import check_inputs
from judge.sandbox.workspace import copy_inputs

logger = logging.getLogger(__name__)

GRACE_SECONDS = 5.0  # the parent's own bookkeeping after a job's wall limit
READY_SECONDS = 120.0  # the parent's imports
MAX_REPLY_BYTES = 8 * 1024**2  # a result (1 MiB) and a log tail (log_bytes), in base64
PARENT_CPU_SECONDS = 600  # the parent's own CPU (imports, bookkeeping); jobs have their own


class Warm:
    """A started warm sandbox: run() jobs one at a time, then close()."""

    def __init__(self, started, reply_fd: int, limits: Limits, max_jobs: int,
                 result_name: str) -> None:  # fmt: skip
        self._started = started
        self._reply = _Lines(reply_fd)
        self._limits = limits
        self._jobs_left = max_jobs
        self._result_name = result_name
        self._broken = False
        self._ready = False
        self.served = 0

    @property
    def slot(self) -> int:
        return self._started.slot.index

    def usable(self) -> bool:
        """True while the sandbox may take another job."""
        return not self._broken and self._jobs_left > 0 and self._started.alive()

    def run(self, inputs: dict[str, Path]) -> Result:
        """Run one job on ``inputs`` (names as for :class:`Job`) in a fresh child."""
        if not self.usable():
            raise RuntimeError("this warm sandbox is closed or used up")
        check_inputs(inputs)
        self._wait_ready()
        self.served += 1
        self._jobs_left -= 1
        folder = self._started.in_dir / str(self.served)
        since = time.monotonic()
        try:
            copy_inputs(self._started.in_dir, {f"{self.served}/{k}": v for k, v in inputs.items()})
            self._started.send_line(json.dumps({"dir": f"/in/{self.served}"}).encode() + b"\n")
            answer = self._reply.read(since + self._limits.wall_seconds + GRACE_SECONDS)
        except OSError:
            answer = None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return self._result(answer, time.monotonic() - since)

    def _wait_ready(self) -> None:
        """Wait for the parent's ready line; SandboxUnavailable (and closed) without it."""
        if self._ready:
            return
        ready = self._reply.read(time.monotonic() + READY_SECONDS)
        if not isinstance(ready, dict) or not ready.get("ready") or ready.get("problems"):
            self.close()
            raise SandboxUnavailable(f"the warm sandbox did not get ready: {ready}")
        self._ready = True

    def close(self) -> None:
        """Kill the sandbox's whole tree, reap it and free the slot."""
        self._broken = True
        self._started.discard()
        self._reply.close()

    def _result(self, answer: dict | None, wall: float) -> Result:
        try:
            result = _job_result(answer, self._limits, self._result_name)
        except (KeyError, TypeError, ValueError):
            result = None
        problems = answer.get("problems") if isinstance(answer, dict) else None
        if result is None or problems:
            logger.warning("warm sandbox slot %d discarded after job %d: %s", self.slot,
                           self.served, problems or "no answer in time")  # fmt: skip
            self.close()
        return result or _lost(self._limits, wall, answer is None)


def start_warm(job: Job, config: SandboxConfig, max_jobs: int, result_name: str) -> Warm:
    """Start ``job.argv`` as a warm parent (see the module docstring) and return at once: it
    imports meanwhile, and the first :meth:`Warm.run` waits for it to be ready."""
    reply_read, reply_write = os.pipe2(os.O_CLOEXEC)
    filter_read = filter_fd(job_filter_bpf())
    try:
        started = start(_parent_job(job, reply_write, filter_read), config,
                        extra_fds=(reply_write, filter_read))  # fmt: skip
    except BaseException:
        os.close(reply_read)
        raise
    finally:
        os.close(reply_write)
        os.close(filter_read)
    return Warm(started, reply_read, job.limits, max_jobs, result_name)


def _parent_job(job: Job, reply_fd: int, filter_fd_: int) -> Job:
    limits = job.limits
    flags = {"reply-fd": reply_fd, "filter-fd": filter_fd_, "cpu": limits.cpu_seconds,
             "wall": limits.wall_seconds, "memory": limits.memory_bytes,
             "nofile": limits.open_files, "nproc": limits.processes,
             "fsize": limits.file_size_bytes, "log-bytes": limits.log_bytes}  # fmt: skip
    argv = [*job.argv, *(part for k, v in flags.items() for part in (f"--{k}", str(v)))]
    outer = Limits(**{**limits.__dict__, "cpu_seconds": PARENT_CPU_SECONDS,
                      "wall_seconds": float("inf")})  # fmt: skip
    return Job(argv=argv, mounts=job.mounts, links=job.links, env=job.env, workdir=job.workdir,
               limits=outer)  # fmt: skip


def _job_result(answer: dict | None, limits: Limits, result_name: str) -> Result | None:
    if answer is None:
        return None
    returncode = os.waitstatus_to_exitcode(int(answer["status"]))
    log = base64.b64decode(answer["log"])
    output = base64.b64decode(answer["result"])
    cpu, wall = float(answer["cpu"]), float(answer["wall"])
    ending = Ending(
        returncode=returncode,
        timed_out=bool(answer["timed_out"]),
        cpu_exhausted=cpu >= limits.cpu_seconds,
        stderr_tail=log,
        log_at_fsize=int(answer["log_size"]) >= limits.file_size_bytes,
        out_full=int(answer["result_size"]) > len(output),
    )
    exit_code, sig = exit_and_signal(returncode)
    return Result(exit_code=exit_code, signal=sig, limit=hit_limit(ending), cpu_seconds=cpu,
                  wall_seconds=wall, stdout=b"", stderr=log,
                  outputs={result_name: output} if output else {})  # fmt: skip


def _lost(limits: Limits, wall: float, late: bool) -> Result:
    """The job's result when the parent gave no usable answer (late, gone or garbled)."""
    message = b"the warm sandbox gave no answer in time" if late else b"the warm sandbox failed"
    return Result(exit_code=None if late else 1, signal=None, limit="wall_time" if late else None,
                  cpu_seconds=0.0, wall_seconds=wall, stdout=b"", stderr=message,
                  outputs={})  # fmt: skip


class _Lines:
    """JSON lines read from a pipe with a deadline and a size cap."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""

    def read(self, deadline: float) -> dict | None:
        """The next line as JSON; None at end of file, after the deadline or over the cap."""
        while b"\n" not in self._buffer:
            wait = deadline - time.monotonic()
            if wait <= 0 or not self._readable(wait):
                return None
            chunk = os.read(self._fd, 1024**2)
            if not chunk or len(self._buffer) + len(chunk) > MAX_REPLY_BYTES:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return None

    def _readable(self, wait: float) -> bool:
        """poll, not select: a worker with many open files has descriptors past 1023."""
        poller = select.poll()
        poller.register(self._fd, select.POLLIN | select.POLLHUP)
        return bool(poller.poll(wait * 1000))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = -1
