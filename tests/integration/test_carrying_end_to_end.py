"""A phase's entries carried to the next phase at its close by the real beat, and scored once
by the real worker and sandbox (judge.submissions.carrying)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems import services as problems
from judge.problems.models import Carry
from judge.submissions.models import Status, Submission
from tests.integration.conftest import binary_solution, predictions
from tests.integration.servers import wait_until
from tests.integration.test_scoring_end_to_end import scored_upload, serving
from tests.services.test_problem_series import add_phase, new_series


def _carried(problem_id: int) -> list[Submission]:
    db.session.commit()  # end the read snapshot so we see the beat's and the worker's commits
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Submission).where(
        Submission.problem_id == problem_id)))  # fmt: skip


def test_the_beat_carries_at_the_close_and_the_worker_scores_the_copy_once(instance, tmp_path):
    make = instance.make
    organizer = make.user()
    competition = make.competition(organizer)
    series = new_series(competition, organizer)
    now, truth = utcnow(), binary_solution(400)
    window = {"opens_at": now - timedelta(days=2), "closes_at": now + timedelta(days=1)}
    pre = add_phase(series, organizer, "vision-pre", truth=truth, metric="roc_auc",
                    sponsor=competition.sponsors[0], split_method="all", daily_limit=None,
                    **window)  # fmt: skip
    final = add_phase(series, organizer, "vision-final", truth=truth, split_method="all",
                      carry=Carry.ALL, scoring_only=True, decides_ranking=True)  # fmt: skip
    with unit_of_work():
        for row in (pre, final):
            problems.publish(row, now)
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Seoul Vision")
    with serving(instance, tmp_path) as (url, worker):
        _headers, result = scored_upload(url, worker, leader.email, pre.id, predictions(400))
        assert _carried(final.id) == []  # the phase is open: nothing carried yet
        with unit_of_work():
            db.session.get(type(pre), pre.id).closes_at = utcnow() - timedelta(seconds=1)
        wait_until(lambda: [s.status for s in _carried(final.id)] == [Status.SCORED], 60,
                   "the carried entry to be scored", worker)  # fmt: skip
        time.sleep(3)  # several more beats: nothing carried twice, nothing scored again
        [copy] = _carried(final.id)
        assert copy.carried_from_id == result["id"] and not copy.counted
        assert copy.attempts == 1
        assert copy.public_score == pytest.approx(result["public_score"], abs=1e-9)
