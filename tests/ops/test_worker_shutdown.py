"""SIGTERM stops a real worker within its grace period: idle at once, a short job finished,
a long one handed back to the queue; nothing of it is left running, not even a zombie.

The signal goes either to the worker's main process alone (what scripts/start's trap sends)
or to its whole process group (a terminal's Ctrl-C, ``kill -- -PGID``, systemd), which
also reaches the pool processes directly.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess

import pytest
import sqlalchemy as sa
from flask import current_app

from judge.core.extensions import db
from judge.sandbox.process import pids_of_uid
from judge.submissions.models import Quota, Status, Submission, WorkerHeartbeat
from tests.api.conftest import ApiClient
from tests.api.test_code_submissions import INPUTS, PREDICT, SOLUTION, code_zip, take_code
from tests.integration.servers import Process, start_worker, wait_until
from tests.support import slots

# this file's own sandbox uids: nothing else runs as them
UID_BASE, SLOTS = slots.uid_base(65200), 6
SANDBOX = {"JUDGE_SANDBOX_ROOT": slots.root("/run/judge-sandbox-shutdown"),
           "JUDGE_SANDBOX_UID_BASE": str(UID_BASE), "JUDGE_SANDBOX_SLOTS": str(SLOTS),
           "JUDGE_WORKER_HEARTBEAT_SECONDS": "1"}  # fmt: skip
EXIT_SECONDS = 45  # generous for a loaded machine; a worker that hangs never gets there


def sandbox_pids() -> list[int]:
    return [pid for uid in range(UID_BASE, UID_BASE + SLOTS) for pid in pids_of_uid(uid)]


def session_pids(session: int) -> list[int]:
    """Processes (zombies included) still in the worker's session: its pool, its beat."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and int(name) != session:
            found.append(int(name))
    return found


def stop(worker: Process, whole_group: bool) -> int:
    """SIGTERM as scripts/start's trap (main process) or a terminal (process group) sends it;
    the exit code, once the worker has exited."""
    if whole_group:
        os.killpg(worker.proc.pid, signal.SIGTERM)
    else:
        os.kill(worker.proc.pid, signal.SIGTERM)
    try:
        return worker.proc.wait(timeout=EXIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not stop on SIGTERM:\n{worker.output()}")


def assert_nothing_left(worker: Process) -> None:
    # A child that ends a moment after the main process is reaped by init.
    wait_until(lambda: session_pids(worker.proc.pid) == [], 10, "the pool to be gone")
    wait_until(lambda: sandbox_pids() == [], 5, "the sandboxes to be gone")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkerHeartbeat)) == 0


def fresh(submission_id: int) -> Submission:
    db.session.commit()  # a new snapshot: see the worker's commits
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


@pytest.fixture
def code_problem(instance):
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader, name="Stoppers")
    api = ApiClient(current_app.test_client(), make)
    answer = take_code(api, problem, organizer, {"wall_seconds": 60, "cpu_seconds": 60}, INPUTS)
    assert answer.status_code == 200, answer.text
    return problem, leader, api


def submit_running(api, problem, leader, code: str, worker: Process) -> int:
    data = {"file": (io.BytesIO(code_zip(code)), "code.zip")}
    answer = api.post(f"/problems/{problem.id}/submissions", as_=leader, data=data)
    assert answer.status_code == 202, answer.text
    submission_id = answer.get_json()["id"]
    wait_until(lambda: fresh(submission_id).status == Status.RUNNING, 30, "the job", worker)
    # The team's program is running in its sandbox (beside the pool's pre-started ones).
    wait_until(lambda: len(sandbox_pids()) >= 4, 30, "the program to start", worker)
    return submission_id


@pytest.mark.parametrize("whole_group", [False, True], ids=["main", "group"])
def test_an_idle_worker_stops_at_once_and_discards_its_prestarted_sandboxes(
    instance, tmp_path, whole_group
):
    worker = start_worker({**instance.env, **SANDBOX}, tmp_path / "worker.log", "idle",
                          concurrency=2)  # fmt: skip
    try:
        wait_until(lambda: sandbox_pids(), 30, "pre-started sandboxes", worker)
        assert stop(worker, whole_group) == 0, worker.output()
    finally:
        worker.kill()
    assert_nothing_left(worker)


def test_a_job_that_outlasts_the_grace_period_is_handed_back_not_failed(
    instance, tmp_path, code_problem
):
    problem, leader, api = code_problem
    env = {**instance.env, **SANDBOX, "JUDGE_WORKER_SHUTDOWN_SECONDS": "2"}
    worker = start_worker(env, tmp_path / "worker.log", "long")
    try:
        submission_id = submit_running(api, problem, leader, "import time\ntime.sleep(60)\n",
                                       worker)  # fmt: skip
        assert stop(worker, whole_group=False) == 0, worker.output()
    finally:
        worker.kill()
    assert_nothing_left(worker)
    submission = fresh(submission_id)
    assert (submission.status, submission.attempts, submission.worker) == (Status.QUEUED, 0, None)
    assert submission.error_message is None and submission.counted
    quota = db.session.scalar(sa.select(Quota).where(Quota.problem_id == problem.id))
    assert (quota.day_count, quota.failed_count) == (1, 0)
    assert "handed back to the queue" in worker.output()
    # No lease to wait out: the next worker takes it (its sweep publishes it if need be).
    successor = start_worker(env, tmp_path / "successor.log", "successor")
    try:
        wait_until(lambda: fresh(submission_id).status == Status.RUNNING, 30, "a new attempt",
                   successor)  # fmt: skip
    finally:
        successor.kill()
    again = fresh(submission_id)
    assert again.attempts == 1 and again.worker.startswith("successor@")


def test_a_job_that_ends_within_the_grace_period_is_finished_and_scored(
    instance, tmp_path, code_problem
):
    problem, leader, api = code_problem
    env = {**instance.env, **SANDBOX, "JUDGE_WORKER_SHUTDOWN_SECONDS": "40"}
    worker = start_worker(env, tmp_path / "worker.log", "short")
    try:
        slow = "import time\ntime.sleep(3)\n" + PREDICT
        submission_id = submit_running(api, problem, leader, slow, worker)
        assert stop(worker, whole_group=True) == 0, worker.output()
    finally:
        worker.kill()
    assert_nothing_left(worker)
    submission = fresh(submission_id)
    assert submission.status == Status.SCORED, (submission.log, worker.output())
    assert submission.public_score == 1.0 and submission.attempts == 1
