"""Each failed submission records why, from a small fixed set that the metrics count."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.sandbox import Result
from judge.scoring.runner import interpret
from judge.submissions import heartbeat, lifecycle
from judge.submissions.models import FAILURE_REASONS, Status, Submission, WorkerHeartbeat
from tests.submissions.helpers import submit


def result(limit=None, payload=None) -> Result:
    outputs = {"result.json": json.dumps(payload).encode()} if payload else {}
    return Result(exit_code=0 if payload else 1, signal=None, limit=limit, cpu_seconds=1.0,
                  wall_seconds=1.0, stdout=b"", stderr=b"Traceback", outputs=outputs)  # fmt: skip


@pytest.mark.parametrize(("limit", "payload", "reason"), [
    (None, {"status": "invalid", "message": "Use commas."}, "validation"),
    ("wall_time", None, "timeout"),
    ("cpu_time", None, "timeout"),
    ("memory", None, "memory"),
    ("output_size", None, "output"),
    ("processes", None, "processes"),
    (None, None, "crash"),
])  # fmt: skip
def test_every_way_a_run_fails_has_a_reason(limit, payload, reason):
    verdict = interpret(result(limit, payload))
    assert not verdict.scored
    assert verdict.reason == reason and reason in FAILURE_REASONS


def test_a_submission_whose_workers_keep_dying_fails_as_worker_lost(app, make):
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader)
    start = utcnow()
    for attempt in range(3):
        with unit_of_work():
            now = start + timedelta(minutes=10 * attempt)
            lifecycle.requeue(submission.id, now, 3)
            assert lifecycle.claim(submission.id, now, timedelta(seconds=1), "dies") == attempt + 1
    with unit_of_work():
        assert lifecycle.requeue(submission.id, start + timedelta(hours=1), 3) is False
    row = db.session.scalars(sa.select(Submission).where(Submission.id == submission.id)).one()
    assert (row.status, row.failure_reason) == (Status.FAILED, "worker_lost")


def test_the_heartbeat_thread_beats_and_a_clean_stop_removes_the_worker(app):
    app.config["WORKER_HEARTBEAT_SECONDS"] = 0.05
    beating = heartbeat.Heartbeat(app, "w9@host", 3)
    seen = []

    def rows():
        db.session.expire_all()
        return db.session.scalars(sa.select(WorkerHeartbeat)).all()

    beating.start()
    try:
        deadline = utcnow() + timedelta(seconds=20)
        while utcnow() < deadline and len(seen) < 2:
            now = rows()
            if now and (not seen or now[0].seen_at > seen[-1]):
                seen.append(now[0].seen_at)
            time.sleep(0.01)
        assert len(seen) == 2, "the heartbeat did not move"
        assert [(r.name, r.slots) for r in rows()] == [("w9@host", 3)]
    finally:
        beating.stop()
    db.session.commit()
    assert rows() == []
