"""Tasks reach the queue only once the row they name is committed, and never after a rollback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.core import queue
from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.submissions import lifecycle
from judge.submissions.models import Status, Submission
from tests.submissions.helpers import submit


@pytest.fixture
def published(monkeypatch):
    """What the broker was handed, with the submissions' ids and states as another connection
    saw them at that moment (a worker sees only committed rows)."""
    seen = []

    def send(task, *args):
        if task.name != "judge.score_next":  # the mail that setting up sends
            return True
        with db.engine.connect() as other:
            rows = other.execute(sa.select(Submission.id, Submission.status)).all()
        seen.append((task.name, args, [tuple(row) for row in rows]))
        return True

    monkeypatch.setattr(queue, "send", send)
    return seen


def test_a_submission_is_published_once_after_its_commit(app, make, published):
    competition = make.competition(make.user())
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader)
    assert published == [("judge.score_next", (), [(submission.id, Status.QUEUED)])]


def test_a_rolled_back_submission_is_never_published(app, make, published):
    competition = make.competition(make.user())
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    with pytest.raises(RuntimeError), unit_of_work():
        lifecycle.publish_after_commit(12345)
        raise RuntimeError("the view failed after the service ran")
    with unit_of_work():
        pass  # the next transaction must not carry the dropped task
    assert published == []
    submit(problem, leader)
    assert [name for name, *_ in published] == ["judge.score_next"]


def test_a_broker_that_cannot_be_reached_leaves_the_submission_to_the_sweep(app, make, monkeypatch):
    monkeypatch.setattr(queue, "send", lambda task, *args: False)
    competition = make.competition(make.user())
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader)
    with db.engine.connect() as other:
        enqueued = other.scalar(
            sa.select(Submission.enqueued_at).where(Submission.id == submission.id)
        )
    assert enqueued is None  # the sweep publishes it on its next round
