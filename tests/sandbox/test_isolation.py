"""What the sandboxed program cannot see or do; ``scorer_python`` runs a check both in a
fresh sandbox and in a job of a warm one (built-in metric scoring)."""

from __future__ import annotations

import json
import socket

from tests.sandbox.conftest import REPO


def test_network_is_unreachable(scorer_python):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        code = f"""
import json, socket
report = {{}}
for name, address in (('host', ('127.0.0.1', {port})), ('outside', ('1.1.1.1', 53))):
    try:
        socket.create_connection(address, timeout=2).close()
        report[name] = 'connected'
    except OSError as exc:
        report[name] = type(exc).__name__
try:
    socket.getaddrinfo('pypi.org', 443)
    report['dns'] = 'resolved'
except OSError as exc:
    report['dns'] = type(exc).__name__
print(json.dumps(report))
"""
        result = scorer_python(code)
        try:
            server.accept()
            accepted = True
        except BlockingIOError:
            accepted = False
    assert result.ok, result.stderr
    report = json.loads(result.stdout)
    assert "connected" not in report.values() and report["dns"] != "resolved", report
    assert not accepted


def test_host_files_outside_the_binds_are_invisible(scorer_python, tmp_path):
    (tmp_path / "labels.csv").write_text("secret")
    hidden = ["/root", "/etc/shadow", "/home", "/var", "/run", "/srv", str(REPO), str(tmp_path)]
    code = f"""
import json, os
report = {{p: os.path.exists(p) for p in {hidden!r}}}
report['mountinfo'] = open('/proc/self/mountinfo').read()
report['etc'] = sorted(os.listdir('/etc'))
print(json.dumps(report))
"""
    result = scorer_python(code, inputs={"labels.csv": tmp_path / "labels.csv"})
    assert result.ok, result.stderr
    report = json.loads(result.stdout)
    assert {p: report[p] for p in hidden} == dict.fromkeys(hidden, False)
    assert str(tmp_path) not in report["mountinfo"] and str(REPO) not in report["mountinfo"]
    assert "shadow" not in report["etc"]


def test_runs_as_a_slot_uid_without_capabilities(scorer_python, config):
    code = """
import json, os
status = dict(line.split(':\\t', 1) for line in open('/proc/self/status').read().splitlines())
caps = {k: int(status[k], 16) for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb')}
print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'groups': os.getgroups(),
                  'caps': caps, 'nnp': status['NoNewPrivs'].strip(), 'pid': os.getpid()}))
"""
    report = json.loads(scorer_python(code).stdout)
    slot_uids = range(config.uid_base, config.uid_base + config.slots)
    assert report["uid"] in slot_uids and report["gid"] == report["uid"]
    assert report["groups"] in ([], [report["gid"]])
    assert set(report["caps"].values()) == {0}
    assert report["nnp"] == "1"
    assert report["pid"] < 10  # a PID namespace of its own


def test_root_and_dev_are_read_only(scorer_python):
    code = """
import json
report = {}
for path in ('/x', '/dev/x', '/usr/x', '/etc/passwd'):
    try:
        open(path, 'w').write('x')
        report[path] = 'written'
    except OSError as exc:
        report[path] = exc.errno
open('/tmp/scratch', 'w').write('ok')
open('/dev/shm/scratch', 'w').write('ok')
print(json.dumps(report))
"""
    result = scorer_python(code)
    assert result.ok, result.stderr
    assert "written" not in json.loads(result.stdout).values()


SYSCALLS = """
import ctypes, errno, json, os, platform, socket
NUMBERS = {
    'x86_64': {'keyctl': 250, 'io_uring_setup': 425, 'bpf': 321, 'userfaultfd': 323},
    'aarch64': {'keyctl': 219, 'io_uring_setup': 425, 'bpf': 280, 'userfaultfd': 282},
}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)

def outcome(rc):
    return 'allowed' if rc != -1 else errno.errorcode[ctypes.get_errno()]

report = {'ptrace': outcome(libc.ptrace(0, 0, None, None))}  # PTRACE_TRACEME
report['keyctl'] = outcome(libc.syscall(NUMBERS['keyctl'], 0, -3, 0))
report['io_uring_setup'] = outcome(libc.syscall(NUMBERS['io_uring_setup'], 1, None))
report['bpf'] = outcome(libc.syscall(NUMBERS['bpf'], 0, None, 0))
report['userfaultfd'] = outcome(libc.syscall(NUMBERS['userfaultfd'], 0))
report['mount'] = outcome(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))
report['unshare_user'] = outcome(libc.unshare(0x10000000))
for name, family, kind in (('vsock', 40, socket.SOCK_STREAM),
                           ('netlink', socket.AF_NETLINK, socket.SOCK_RAW)):
    try:
        socket.socket(family, kind).close()
        report[name] = 'allowed'
    except OSError as exc:
        report[name] = errno.errorcode[exc.errno]
print(json.dumps(report))
"""


def test_seccomp_denies_dangerous_calls(scorer_python):
    result = scorer_python(SYSCALLS)
    assert result.ok, result.stderr
    report = json.loads(result.stdout)
    assert report.pop("netlink") == "allowed"  # getaddrinfo needs it
    assert report.pop("unshare_user") != "allowed"  # --disable-userns
    assert report == dict.fromkeys(report, "EPERM")
    assert set(report) >= {"ptrace", "keyctl", "io_uring_setup", "vsock", "mount"}


def test_planted_symlinks_and_fifos_in_out_are_not_followed(python):
    code = """
import os
open('/out/ok.txt', 'w').write('fine')
os.makedirs('/out/sub')
open('/out/sub/nested.txt', 'w').write('deep')
os.symlink('/etc/passwd', '/out/passwd')
os.symlink('/etc', '/out/etc')
os.symlink('/root/.bash_history', '/out/history')
os.symlink('../../../../../../etc/shadow', '/out/sub/shadow')
os.mkfifo('/out/fifo')
os.mkfifo('/out/sub/fifo2')
"""
    result = python(code, wall_seconds=30)
    assert result.ok, result.stderr
    assert result.outputs == {"ok.txt": b"fine", "sub/nested.txt": b"deep"}
