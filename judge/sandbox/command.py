"""The command line of one run: prlimit, nice, then setpriv to the slot uid, then bwrap.

rlimits are set first (as root, so the hard limits can be set too), then setpriv drops to the
slot's dedicated host uid/gid with no supplementary groups and asks for SIGKILL if the worker
dies, then bwrap, running as that uid, builds the namespaces and the file system view.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from judge.sandbox.spec import Job, Limits

#: Paths inside that the sandbox itself provides; job mounts may not cover or enter them.
RESERVED_PATHS = ("/", "/usr", "/etc", "/proc", "/dev", "/tmp", "/in", "/out")
#: Top-level host paths that are symlinks into /usr on merged-/usr systems.
USR_ALIASES = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: Host files bound read-only into /etc when present.
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")

BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "TZ": "UTC",
    # One thread per BLAS/OpenMP pool: threads count against RLIMIT_NPROC and each one
    # reserves address space against RLIMIT_AS. A job may raise these in its env.
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


# Sandboxed runs yield the CPU to the web server and the worker's own bookkeeping: on a host
# that serves uploads too, a deadline surge is answered first and scored with what is left.
# Added to the worker's own niceness (JUDGE_WORKER_NICE, 10: the worker yields to the web
# server too, and its claims and records, which hold database locks, still go before the
# sandboxes), up to 19.
NICENESS = 10


@dataclass(frozen=True)
class Tools:
    """Absolute paths of the host programs the sandbox runs."""

    prlimit: str
    nice: str
    setpriv: str
    bwrap: str


@dataclass(frozen=True)
class RunPaths:
    """Host paths and descriptors a run's command line refers to."""

    in_dir: Path
    out_dir: Path
    etc_dir: Path
    seccomp_fd: int
    info_fd: int


def build_command(job: Job, uid: int, paths: RunPaths, tools: Tools) -> list[str]:
    """The full argv: rlimits, uid drop, bwrap options, then the job's own argv."""
    return [
        *prlimit_args(tools.prlimit, job.limits),
        tools.nice,
        f"--adjustment={NICENESS}",
        *setpriv_args(tools.setpriv, uid),
        *bwrap_args(tools.bwrap, job, paths),
        *job.argv,
    ]


def prlimit_args(prlimit: str, limits: Limits) -> list[str]:
    """prlimit with CPU (SIGXCPU at the soft limit, SIGKILL a second later), AS, NPROC,
    FSIZE, NOFILE and no core files."""
    cpu = limits.cpu_seconds
    pairs = {
        "cpu": f"{cpu}:{cpu + 1}",
        "as": _same(limits.memory_bytes),
        "nproc": _same(limits.processes),
        "fsize": _same(limits.file_size_bytes),
        "nofile": _same(limits.open_files),
        "core": "0:0",
    }
    return [prlimit, *(f"--{name}={value}" for name, value in pairs.items()), "--"]


def setpriv_args(setpriv: str, uid: int) -> list[str]:
    """setpriv to host uid/gid ``uid``, no supplementary groups, SIGKILL if the worker dies."""
    return [
        setpriv,
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--pdeathsig=KILL",
        "--",
    ]


def bwrap_args(bwrap: str, job: Job, paths: RunPaths) -> list[str]:
    """bwrap: every namespace new, no capabilities, a read-only view of only what is needed."""
    return [
        bwrap,
        *_isolation_args(),
        *_env_args(job.env),
        *_system_args(paths.etc_dir),
        *_scratch_args(job.limits),
        "--ro-bind", str(paths.in_dir), "/in",
        "--bind", str(paths.out_dir), "/out",
        *_mount_args(job.mounts),
        *_bind_args(job.binds),
        *_link_args(job.links, paths),
        "--remount-ro", "/dev",
        "--remount-ro", "/",
        "--chdir", job.workdir,
        "--seccomp", str(paths.seccomp_fd),
        "--info-fd", str(paths.info_fd),
        "--",
    ]  # fmt: skip


def _isolation_args() -> list[str]:
    return [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--cap-drop", "ALL",
        "--die-with-parent",
        "--new-session",
        "--hostname", "sandbox",
    ]  # fmt: skip


def _env_args(env: dict[str, str]) -> list[str]:
    args = ["--clearenv"]
    for name, value in {**BASE_ENV, **env}.items():
        args += ["--setenv", name, value]
    return args


def _system_args(etc_dir: Path) -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for alias in USR_ALIASES:
        if os.path.islink(alias):
            args += ["--symlink", os.readlink(alias), alias]
        elif os.path.isdir(alias):
            args += ["--ro-bind", alias, alias]
    for name in ETC_FILES:
        if os.path.exists(name):
            args += ["--ro-bind", name, name]
    for name in ("passwd", "group"):
        args += ["--ro-bind", str(etc_dir / name), f"/etc/{name}"]
    return args


def _scratch_args(limits: Limits) -> list[str]:
    return [
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(limits.tmp_bytes), "--tmpfs", "/dev/shm",
        "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
    ]  # fmt: skip


def _mount_args(mounts: dict[str, Path]) -> list[str]:
    args = []
    for inside in sorted(mounts, key=lambda p: PurePosixPath(p).parts):
        args += ["--ro-bind", str(mounts[inside]), inside]
    return args


def _bind_args(binds: dict[str, Path]) -> list[str]:
    args = []
    for inside in sorted(binds, key=lambda p: PurePosixPath(p).parts):
        args += ["--bind", str(binds[inside]), inside]
    return args


def _link_args(links: dict[str, str], paths: RunPaths) -> list[str]:
    """A link to ``/out`` or into ``/in`` is a bind of the same directory, so the program sees
    the path it was given (its working directory too), as under Docker's volumes; a link to
    anything else is a symlink. A missing input folder stays missing, as a symlink would."""
    args = []
    for inside in sorted(links):
        target = links[inside]
        if target == "/out":
            args += ["--bind", str(paths.out_dir), inside]
        elif target.startswith("/in/"):
            args += ["--ro-bind-try", str(paths.in_dir / target.removeprefix("/in/")), inside]
        else:
            args += ["--symlink", target, inside]
    return args


def check_mount_target(inside: str) -> None:
    """Refuse mount targets that are relative, unnormalised or touch a reserved path."""
    path = PurePosixPath(inside)
    if not path.is_absolute() or str(path) != inside or ".." in path.parts:
        raise ValueError(f"mount target {inside!r} must be a normalised absolute path")
    for reserved in RESERVED_PATHS:
        if path == PurePosixPath(reserved) or (reserved != "/" and path.is_relative_to(reserved)):
            raise ValueError(f"mount target {inside!r} is reserved by the sandbox")


def check_mount_source(source: Path) -> None:
    """Refuse a mount source that is missing or that the slot uids cannot reach.

    bwrap runs as the slot uid, so every directory above the source must be searchable by
    others (o+x); the files themselves should be world-readable.
    """
    if not source.exists():
        raise ValueError(f"mount source {source} does not exist")
    for directory in source.resolve().parents:
        if not os.stat(directory).st_mode & stat.S_IXOTH:
            raise ValueError(
                f"mount source {source} is not reachable by the sandbox uids: {directory} "
                "is not searchable by others (chmod o+x), or move the source elsewhere"
            )


def _same(value: int) -> str:
    return f"{value}:{value}"
