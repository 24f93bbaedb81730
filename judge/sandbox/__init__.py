"""The one way to run anything untrusted: :func:`run` a :class:`Job` in a bubblewrap sandbox.

:func:`start` launches a job before its inputs exist (a pre-warmed sandbox: the program does
its slow start-up and waits on stdin); :meth:`Started.go` hands it the inputs and returns the
same :class:`Result`. Each sandbox still serves exactly one job.

A run holds a worker slot (a dedicated host uid/gid, ``slots``), sets rlimits, drops to that
uid and starts bwrap with new user, PID, network, IPC, UTS, mount and cgroup namespaces, no
capabilities, a seccomp deny-list (``seccomp``) and a read-only view of /usr, the job's
mounts and a copy of its inputs under /in; /tmp, /dev/shm and /out are size-limited tmpfs
(``command``, ``workspace``). A wall-clock timer kills the whole tree and the worker reaps
what is left (``process``); outputs are read without following links (``outputs``) and the
ending is mapped to the limit that was hit (``outcome``).

Known limits (shared kernel, not VM-grade):

- Memory and CPU limits are rlimits and hold per process: with ``processes`` processes a
  program can use up to that many times ``memory_bytes``; the wall clock bounds the total
  CPU. No cgroup is used (cgroup v2 here offers no memory or pids controller).
- The tmpfs mounts use RAM: up to 2 x ``tmp_bytes`` + ``output_bytes`` per run. /out has an
  inode cap; /tmp and /dev/shm do not (bwrap cannot set one), only their byte size.
- A program killed by signal N and one exiting with 128 + N look the same; memory and
  process-limit detection read stderr, best effort.
- Inside, ``/proc/1/cmdline`` shows the bwrap command line, including the host paths of the
  job's mounts; inputs are copied to neutral per-slot paths.
- Inputs are copied into ``config.root``; keep it off a small tmpfs when inputs are large.
- A started sandbox holds its slot and its program's memory while it waits; it dies with
  the thread that started it (``setpriv --pdeathsig``, ``bwrap --die-with-parent``), so
  start it from a thread that lives as long as the worker.
- :func:`stop` (a worker at the end of its shutdown grace period) kills this process's
  running sandboxes and refuses new ones with :class:`Stopped`.
"""

from judge.sandbox.runner import run, start
from judge.sandbox.spec import Job, Limits, Result, SandboxConfig, SandboxUnavailable, Stopped
from judge.sandbox.started import Started
from judge.sandbox.stopping import stop, stopped

__all__ = [
    "Job",
    "Limits",
    "Result",
    "SandboxConfig",
    "SandboxUnavailable",
    "Started",
    "Stopped",
    "run",
    "start",
    "stop",
    "stopped",
]
