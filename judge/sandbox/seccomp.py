"""A small seccomp deny-list, compiled once to BPF and handed to bwrap as a file descriptor.

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

#: Socket families refused by socket() and socketpair(); AF_NETLINK stays (getaddrinfo).
DENIED_SOCKET_FAMILIES = (getattr(socket, "AF_VSOCK", 40),)


@functools.cache
def filter_bpf() -> bytes:
    """The compiled filter as BPF bytes (built once per process)."""
    try:
        import pyseccomp
    except (ImportError, OSError) as exc:  # OSError: libseccomp.so.2 missing
        raise SandboxUnavailable(f"seccomp unavailable (pip install pyseccomp): {exc}") from exc
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    deny = pyseccomp.ERRNO(errno.EPERM)
    for name in DENIED_SYSCALLS:
        _add_rule(rules, deny, name)
    for family in DENIED_SOCKET_FAMILIES:
        for name in ("socket", "socketpair"):
            _add_rule(rules, deny, name, pyseccomp.Arg(0, pyseccomp.EQ, family))
    with tempfile.TemporaryFile() as file:
        rules.export_bpf(file)
        file.seek(0)
        return file.read()


def _add_rule(rules, action: int, name: str, *args) -> None:
    try:
        rules.add_rule(action, name, *args)
    except (ValueError, OSError) as exc:  # unknown to this libseccomp or architecture
        logger.warning("seccomp: cannot deny %s: %s", name, exc)


def filter_fd() -> int:
    """A new file descriptor, positioned at 0, holding the BPF filter; the caller closes it."""
    fd = os.memfd_create("judge-seccomp", os.MFD_CLOEXEC)
    try:
        os.write(fd, filter_bpf())
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd
