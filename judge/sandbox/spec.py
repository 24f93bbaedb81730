"""What a sandbox run is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Values of :attr:`Result.limit`, in the order :func:`judge.sandbox.run` checks them.
LIMIT_NAMES = ("wall_time", "cpu_time", "file_size", "output_size", "memory", "processes")


class SandboxUnavailable(Exception):
    """The sandbox cannot run anything here (not root, a tool missing, no free slot, ...)."""


class Stopped(SandboxUnavailable):
    """This process was stopped (its worker is shutting down): the run was killed, or not
    started. Nothing is known about the program; run it again elsewhere."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run.

    CPU, memory, file size and open files are rlimits and hold per process; the wall-clock
    limit kills the whole process tree and is the backstop for everything else.
    """

    cpu_seconds: int = 60
    wall_seconds: float = 120.0
    memory_bytes: int = 2 * 1024**3  # RLIMIT_AS (below 512 MiB numpy import breaks)
    processes: int = 64  # RLIMIT_NPROC for the slot uid (threads count too)
    file_size_bytes: int = 256 * 1024**2  # RLIMIT_FSIZE, also bounds stdout and stderr
    open_files: int = 64  # RLIMIT_NOFILE
    output_bytes: int = 64 * 1024**2  # size of the /out tmpfs
    tmp_bytes: int = 256 * 1024**2  # size of the private /tmp (and of /dev/shm)
    log_bytes: int = 1024**2  # stdout/stderr kept (tail)


@dataclass(frozen=True)
class SandboxConfig:
    """Where the per-slot directories live and which host uids the slots run as.

    The uids ``uid_base .. uid_base + slots - 1`` must be reserved for the sandbox: no
    account, no files, no other processes.
    """

    root: Path = Path("/run/judge-sandbox")  # neutral host path for per-slot dirs
    uid_base: int = 60000  # slot N runs as host uid/gid uid_base + N
    slots: int = 16
    slot_wait_seconds: float = 60.0  # how long run() waits for a free slot


@dataclass(frozen=True)
class Job:
    """One program to run in the sandbox.

    ``inputs`` maps a relative name to a host file, copied and shown read-only as
    ``/in/<name>``; ``mounts`` maps an absolute path inside to a host directory (code, the
    Python runtime), bound read-only; ``links`` shows a path inside at another absolute path
    (e.g. ``/app/output`` -> ``/out``, for programs that expect fixed paths): ``/out`` and
    folders under ``/in`` are bound there, anything else is a symlink.
    The program writes its results to ``/out``.
    """

    argv: list[str]
    inputs: dict[str, Path] = field(default_factory=dict)
    mounts: dict[str, Path] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/tmp"
    limits: Limits = Limits()
    # run_together only: folders the jobs share, by name, each shown at a path inside;
    # writable where the folder's writer is this job (or every job), else read-only.
    shared: dict[str, str] = field(default_factory=dict)
    # Host folders bound writable (run_together sets them from ``shared``).
    binds: dict[str, Path] = field(default_factory=dict)
    # symlink() and mknod() refused: in a shared folder, a link or a FIFO would be followed
    # or opened by the other jobs' programs, in their own file system view.
    no_links: bool = False


@dataclass(frozen=True)
class Result:
    """What happened. ``limit`` names the limit that was hit (best effort) or is None.

    A sandboxed program killed by signal N is reported as ``signal=N`` (the sandbox reports
    it as exit status 128 + N, so a program that itself exits with 129..192 looks the same).
    """

    exit_code: int | None
    signal: int | None
    limit: str | None
    cpu_seconds: float
    wall_seconds: float
    stdout: bytes
    stderr: bytes
    outputs: dict[str, bytes]

    @property
    def ok(self) -> bool:
        """True when the program exited with status 0 and hit no limit."""
        return self.exit_code == 0 and self.limit is None
