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

:func:`run_together` runs several jobs at the same time, each in its own sandbox as above on
its own slot, sharing size-capped tmpfs folders made for the run (one job writes, the others
read; or all write, sticky), and stops the others when one fails (:mod:`judge.sandbox.together`;
CodaLab's parallel ingestion). ``Job.no_links`` refuses symlink() and mknod() in a job whose
folders another job reads.

Warm sandboxes (:mod:`judge.sandbox.warm`; built-in metric scoring with ``SCORING_WARM``,
:mod:`judge.scoring.warm`, and each finalist's side of the rank-stability bootstrap,
:mod:`judge.scoring.resampling`): one sandbox as above serves many jobs. Its program, the warm
parent (``engine.warm``), imports pandas and scikit-learn once, scores one made-up file
(``engine.rehearsal``: no job's input) and forks a fresh child per job, always from a single
thread (a second thread of the parent is reported and the sandbox discarded). What isolates
one job from the next, given that the child shares the slot uid, the namespaces and the
tmpfs mounts with its parent:

- Inputs: the host copies a job's inputs to ``/in/<n>`` (root-owned, read-only inside)
  only after the previous job's processes are gone, and removes them after its answer;
  the hidden solution of one job is never in /in while another job runs.
- The parent's memory: the child is a copy-on-write fork and cannot write into the parent;
  a parent with any writable shared mapping (which jobs would share) is refused at start.
  The parent is not dumpable (``PR_SET_DUMPABLE 0``), so a same-uid process can neither
  ptrace it nor open ``/proc/2/mem``, ``environ``, ``fd/*`` or write ``oom_score_adj``
  (those files turn root-owned); ptrace and process_vm_* are denied by seccomp anyway.
- The parent's descriptors: the child closes all but its own stdin (/dev/null), log and
  result memfds before the job runs; the stdin and reply pipes stay the parent's alone.
- Signals and the parent's settings: each child stacks a second seccomp filter
  (``seccomp.job_filter_bpf``) that refuses kill, tgkill and rt_(tg)sigqueueinfo aimed at
  pid 1 (bwrap's init), 2 (the parent, which checks it is pid 2), -1 or -2, every pidfd
  call, setpriority, ioprio_set, kcmp, and prlimit64, sched_set* and (migrate|move)_pages
  on any process but itself. tkill(2) names a thread id and is not filtered; the parent
  dies plainly on SIGINT. A child that still kills or stops the parent only loses its own
  job: the host sees no answer in time, kills the whole sandbox and starts a fresh one.
- Leftover processes: the child starts its own session; after it ends (or its wall limit,
  when its process group is killed) the parent, a child subreaper, ``kill(-1, SIGKILL)``s
  every other process in the PID namespace and reaps them before it answers.
- Leftover files and objects: the parent checks that /tmp, /dev/shm and /out are empty and
  that no System V IPC object exists; anything left (or a process) is reported and the host
  discards the whole sandbox, so the next job starts in fresh tmpfs mounts. POSIX message
  queues, which no file lists, cannot be made: the job filter refuses mq_open and
  mq_unlink. Abstract unix sockets die with their processes.
- Per-job limits: the child sets its own rlimits (CPU from zero, address space, open files,
  processes, file size, no core) before the job; its result and log are memfds, capped.
- After ``judge.scoring.warm.MAX_JOBS`` jobs, or when the parent's answer is late or
  malformed, the sandbox is discarded too.

Not isolated between jobs of one warm sandbox: CPU caches and timing, the page cache of
the read-only runtime, and the parent's address-space layout (ASLR is shared by fork).
A different uid per child was measured to be impossible here: inside bwrap there are no
capabilities (setuid fails) and ``--disable-userns`` refuses a nested user namespace.

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
from judge.sandbox.together import Ended, Shared, Together, run_together

__all__ = [
    "Ended",
    "Job",
    "Limits",
    "Result",
    "SandboxConfig",
    "SandboxUnavailable",
    "Shared",
    "Started",
    "Stopped",
    "Together",
    "run",
    "run_together",
    "start",
    "stop",
    "stopped",
]
