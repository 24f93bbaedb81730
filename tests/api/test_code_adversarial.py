"""Hostile code submissions: each is contained, ends failed with a clear message (the limit
named where one was hit), leaves nothing running, and the next submission scores normally.

Each program prints ESCAPED when its attack worked; that word must never appear.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from flask import current_app

from judge.core import storage
from judge.core.extensions import db
from judge.sandbox.process import pids_of_uid
from judge.scoring import runner
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.api.test_code_submissions import PREDICT, SECRET, SOLUTION, code_zip, take_code
from tests.support import slots

UID_BASE, SLOTS = slots.uid_base(63000), 4
# The wall limit leaves an endless loop time to use its 5 CPU seconds on a busy 2-core machine.
LIMITS = {"cpu_seconds": 5, "wall_seconds": 15, "memory_mb": 512, "output_mb": 8, "disk_mb": 16}

ATTEMPT = """
import ctypes, os, socket, sys
def attempt(label, action):
    try:
        action()
    except BaseException as exc:
        print(label, "refused:", type(exc).__name__)
    else:
        print("ESCAPED", label)
"""

LIMIT_CASES = {
    "fork bomb": ("import os\nwhile True:\n    os.fork()\n", "than allowed"),
    "10 GB of memory": ("block = bytearray(10 * 1024**3)\n",
                        "needed more memory than allowed (512 MiB)"),
    "an endless loop": ("while True:\n    pass\n", "more CPU time than allowed (5 s)"),
    "sleeping past the wall": ("import time\ntime.sleep(600)\n",
                               "ran longer than the time limit (15 s)"),
    "a 5 GB file": ("import sys\nf = open(sys.argv[2] + '/big', 'wb')\n"
                    "for _ in range(5 * 1024):\n    f.write(b'x' * 1024**2)\n",
                    "more output than allowed (8 MiB)"),
    "1 GB to stdout": ("import sys\nfor _ in range(1024):\n"
                       "    sys.stdout.write('x' * 1024**2)\n", "larger than allowed"),
    "a flood of empty files": ("import sys\nfor i in range(100000):\n"
                               "    open(f'{sys.argv[2]}/f{i}', 'w').close()\n",
                               "more output than allowed"),
}  # fmt: skip


def attacks(paths: dict[str, str], worker_pid: int) -> dict[str, str]:
    reads = "".join(f"attempt({label!r}, lambda: open({path!r}, 'rb').read(1))\n"
                    for label, path in paths.items())  # fmt: skip
    libc = "libc = ctypes.CDLL(None, use_errno=True)\n"

    def syscall(nr, *args):
        call = f"libc.syscall({nr}, {', '.join(map(str, args))})"
        return (f"attempt('syscall {nr}', lambda: (_ for _ in ()).throw(OSError()) "
                f"if {call} != 0 else None)\n")  # fmt: skip

    return {
        "reading secrets": ATTEMPT + reads + "sys.exit(1)\n",
        "network": ATTEMPT + (
            "attempt('loopback', lambda: socket.create_connection(('127.0.0.1', 5432), 2))\n"
            "attempt('outside', lambda: socket.create_connection(('1.1.1.1', 443), 2))\n"
            "sys.exit(1)\n"),
        # The worker's pid does not exist in the sandbox's PID namespace; the parent and
        # pid 1 are the sandbox's own init, which ignores the signal: the run goes on.
        "signals": ATTEMPT + (
            f"attempt('worker', lambda: os.kill({worker_pid}, 9))\n"
            "os.kill(os.getppid(), 9)\nos.kill(1, 9)\nprint('still running')\nsys.exit(1)\n"),
        "dangerous syscalls": ATTEMPT + libc + syscall(101, 16, 1, 0, 0)  # ptrace attach 1
        + syscall(250, 0, 0, 0, 0)  # keyctl
        + syscall(425, 8, 0)  # io_uring_setup
        + syscall(272, 0x10000000)  # unshare(CLONE_NEWUSER)
        + "sys.exit(1)\n",
        "a symlink and a FIFO to the solution": ATTEMPT + (
            f"os.symlink({paths['solution']!r}, sys.argv[2] + '/predictions.csv')\n"
            "os.mkfifo(sys.argv[2] + '/answers.csv')\n"),
    }  # fmt: skip


@pytest.fixture(params=["cold", "warm"])
def world(request, app, make, api):
    """The predictions are scored in a fresh sandbox, and in a child of a warm sandbox."""
    app.config.update(SANDBOX_ROOT=slots.root("/run/judge-sandbox-adversarial"),
                      SANDBOX_UID_BASE=UID_BASE, SANDBOX_SLOTS=SLOTS,
                      SCORING_WARM=request.param == "warm")  # fmt: skip
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    organizer, leader, rival = competition.roles[0].user, make.user(), make.user()
    make.team(competition, leader, name="Attackers")
    make.team(competition, rival, name="Victims")
    assert take_code(api, problem, organizer, LIMITS).status_code == 200
    return problem, leader, rival


def submit(api, problem, user, content: bytes, name: str = "code.zip") -> Submission:
    response = api.post(f"/problems/{problem.id}/submissions", as_=user,
                        data={"file": (io.BytesIO(content), name)})  # fmt: skip
    assert response.status_code == 202, response.text
    jobs.score_submission(response.get_json()["id"], "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, response.get_json()["id"])


def contained(api, problem, leader, submission: Submission) -> None:
    assert submission.status == Status.FAILED, submission.log
    assert "ESCAPED" not in (submission.log or "") + (submission.error_message or "")
    assert SECRET not in (submission.log or "") + submission.error_message
    runner.discard_waiting()  # the worker's pre-started scoring sandbox, waiting for a job
    leftovers = [p for uid in range(UID_BASE, UID_BASE + SLOTS) for p in pids_of_uid(uid)]
    assert leftovers == []
    assert submit(api, problem, leader, code_zip(PREDICT)).status == Status.SCORED


@pytest.mark.parametrize("case", list(LIMIT_CASES))
def test_resource_attacks_end_with_the_limit_named(api, world, case):
    problem, leader, _rival = world
    code, message = LIMIT_CASES[case]
    submission = submit(api, problem, leader, code_zip(code))
    assert message in submission.error_message, submission.error_message
    contained(api, problem, leader, submission)


@pytest.mark.parametrize("case", ["reading secrets", "network", "signals", "dangerous syscalls",
                                  "a symlink and a FIFO to the solution"])  # fmt: skip
def test_escape_attempts_are_refused(api, world, case):
    problem, leader, rival = world
    theirs = submit(api, problem, rival, code_zip(PREDICT))
    cfg = current_app.config
    paths = {
        "shadow": "/etc/shadow",
        "solution": str(storage.path_of(problem.solution.storage_key)),
        "prepared solution": str(storage.path_of(problem.solution.prepared_key)),
        "other team's submission": str(storage.path_of(theirs.storage_key)),
        "database": cfg["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"),
        "instance config": os.path.join(current_app.instance_path, "config.py"),
        "secret key": os.path.join(current_app.instance_path, "secret_key"),
    }
    submission = submit(api, problem, leader, code_zip(attacks(paths, os.getpid())[case]))
    if case == "a symlink and a FIFO to the solution":
        assert "wrote no predictions.csv" in submission.error_message
    else:
        assert "refused" in submission.log
    contained(api, problem, leader, submission)


def test_a_daemon_does_not_outlive_its_run(api, world):
    problem, leader, _rival = world
    daemon = ("import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              "        time.sleep(300)\n    os._exit(0)\nsys.exit(1)\n")  # fmt: skip
    contained(api, problem, leader, submit(api, problem, leader, code_zip(daemon)))


def zip_of(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/shadow")
    return buffer.getvalue()


@pytest.mark.parametrize(("entries", "links", "message"), [
    ({"metadata.yaml": b"command: python p.py\n", "../../evil.py": b"x"}, (), "unsafe path"),
    ({"metadata.yaml": b"command: python p.py\n"}, ("p.py",), "a link or a special file"),
    ({"metadata.yaml": b"command: python p.py\n", "zeros": b"\0" * (300 * 1024**2)}, (),
     "unpacks to more than"),
])  # fmt: skip
def test_hostile_zips_are_refused(api, world, entries, links, message):
    problem, leader, _rival = world
    submission = submit(api, problem, leader, zip_of(entries, links))
    assert message in submission.error_message
    contained(api, problem, leader, submission)
