"""A small seccomp deny-list, compiled once to BPF and handed to bwrap as a file descriptor.

:func:`job_filter_bpf` is a stricter filter stacked on top of it in each job a warm scorer
forks (:mod:`judge.sandbox.warm`): that job shares its uid with the warm parent and the
jobs after it, so it may also not signal the parent (pid 2 inside, in its own process
group), nor change the scheduling or the rlimits of any other process.

Denied calls fail with EPERM. System calls of a foreign ABI (i386 via int 0x80, x32) kill
the calling thread, libseccomp's default for a filter built for the native ABI only.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import socket
import tempfile

from judge.sandbox.spec import SandboxUnavailable

logger = logging.getLogger(__name__)

DENIED_SYSCALLS = (
    # debugging and reading other processes' memory
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    # kernel keyrings
    "keyctl",
    "add_key",
    "request_key",
    # large attack surface, no use to a scoring program
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    # the machine itself
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "create_module",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    # mounts, old and new API
    "mount",
    "umount2",
    "pivot_root",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
)

#: Denied in a warm scorer's job besides DENIED_SYSCALLS: signals by descriptor, calls
#: that change another process of the same uid (priority, I/O priority), and POSIX message
#: queues (they live in the IPC namespace every job of the sandbox shares, and no file
#: lists them, so the parent could not find one a job left for the next).
JOB_DENIED_SYSCALLS = (
    "mq_open",
    "mq_unlink",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    "setpriority",
    "ioprio_set",
    "process_madvise",
    "kcmp",
)
#: Denied in a warm scorer's job when their first argument names init (1), the parent (2),
#: every process (-1) or the parent's process group (-2).
JOB_SIGNAL_SYSCALLS = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
JOB_PROTECTED_PIDS = (1, 2, -1, -2)
#: Denied in a warm scorer's job unless their first argument is 0 (the calling process).
JOB_SELF_ONLY_SYSCALLS = (
    "prlimit64",
    "sched_setaffinity",
    "sched_setscheduler",
    "sched_setparam",
    "sched_setattr",
    "migrate_pages",
    "move_pages",
)

#: Socket families refused by socket() and socketpair(); AF_NETLINK stays (getaddrinfo).
DENIED_SOCKET_FAMILIES = (getattr(socket, "AF_VSOCK", 40),)


@functools.cache
def filter_bpf() -> bytes:
    """The compiled filter as BPF bytes (built once per process)."""
    return _compile(_base_rules)


@functools.cache
def no_links_filter_bpf() -> bytes:
    """:func:`filter_bpf` that also refuses making symlinks and special files (a job whose
    folders another job's program reads: ``Job.no_links``)."""
    return _compile(_no_links_rules)


@functools.cache
def job_filter_bpf() -> bytes:
    """The filter a warm scorer's job adds to :func:`filter_bpf` (built once per process)."""
    return _compile(_job_rules)


def _compile(add_rules) -> bytes:
    try:
        import pyseccomp
    except (ImportError, OSError) as exc:  # OSError: libseccomp.so.2 missing
        raise SandboxUnavailable(f"seccomp unavailable (pip install pyseccomp): {exc}") from exc
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    add_rules(pyseccomp, rules, pyseccomp.ERRNO(errno.EPERM))
    with tempfile.TemporaryFile() as file:
        rules.export_bpf(file)
        file.seek(0)
        return file.read()


def _base_rules(pyseccomp, rules, deny: int) -> None:
    for name in DENIED_SYSCALLS:
        _add_rule(rules, deny, name)
    for family in DENIED_SOCKET_FAMILIES:
        for name in ("socket", "socketpair"):
            _add_rule(rules, deny, name, pyseccomp.Arg(0, pyseccomp.EQ, family))


#: Denied with ``Job.no_links``: a symlink or FIFO left in a shared folder.
NO_LINKS_SYSCALLS = ("symlink", "symlinkat", "mknod", "mknodat")


def _no_links_rules(pyseccomp, rules, deny: int) -> None:
    _base_rules(pyseccomp, rules, deny)
    for name in NO_LINKS_SYSCALLS:
        _add_rule(rules, deny, name)


def _job_rules(pyseccomp, rules, deny: int) -> None:
    for name in JOB_DENIED_SYSCALLS:
        _add_rule(rules, deny, name)
    for name in JOB_SIGNAL_SYSCALLS:
        for pid in JOB_PROTECTED_PIDS:  # compared as the kernel's 32-bit pid_t
            _add_rule(rules, deny, name, pyseccomp.Arg(0, pyseccomp.MASKED_EQ, 0xFFFFFFFF,
                                                       pid & 0xFFFFFFFF))  # fmt: skip
    for name in JOB_SELF_ONLY_SYSCALLS:
        _add_rule(rules, deny, name, pyseccomp.Arg(0, pyseccomp.NE, 0))


def _add_rule(rules, action: int, name: str, *args) -> None:
    try:
        rules.add_rule(action, name, *args)
    except (ValueError, OSError) as exc:  # unknown to this libseccomp or architecture
        logger.warning("seccomp: cannot deny %s: %s", name, exc)


def filter_fd(bpf: bytes | None = None) -> int:
    """A new file descriptor, positioned at 0, holding ``bpf`` (by default the sandbox's
    filter); the caller closes it."""
    fd = os.memfd_create("judge-seccomp", os.MFD_CLOEXEC)
    try:
        os.write(fd, filter_bpf() if bpf is None else bpf)
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd
