"""Submission limits: per day in the competition's timezone, interval, total — and races."""

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest

from judge.core import storage
from judge.core.db import unit_of_work
from judge.core.errors import DomainError, RateLimited
from judge.core.extensions import db
from judge.submissions import lifecycle, quota
from judge.submissions import services as submissions
from judge.submissions.models import FailureKind, Submission
from tests.submissions.helpers import LEASE, submit

# 23:30 on 1 Dec in Seoul is 14:30 UTC.
LATE_EVENING = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


@pytest.fixture
def setup(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=2, total_limit=3, failed_daily_limit=1)
    leader = make.user()
    team = make.team(competition, leader)
    return problem, team, leader


def test_daily_limit_resets_at_local_midnight(setup):
    problem, _team, leader = setup
    submit(problem, leader, now=LATE_EVENING)
    submit(problem, leader, now=LATE_EVENING + timedelta(minutes=1))
    with pytest.raises(RateLimited) as refused:
        submit(problem, leader, now=LATE_EVENING + timedelta(minutes=2))
    assert "Dec 2, 2026, 12:00\u202fAM KST" in refused.value.message
    after_midnight = LATE_EVENING + timedelta(minutes=31)
    assert submit(problem, leader, now=after_midnight).quota_day == "2026-12-02"


def test_total_limit(setup):
    problem, _team, leader = setup
    for day in range(3):
        submit(problem, leader, now=LATE_EVENING + timedelta(days=day))
    with pytest.raises(RateLimited) as refused:
        submit(problem, leader, now=LATE_EVENING + timedelta(days=5))
    assert "all 3 submissions" in refused.value.message


def test_minimum_interval(make):
    competition = make.competition()
    problem = make.problem(competition, min_interval_seconds=600, daily_limit=None)
    leader = make.user()
    make.team(competition, leader)
    submit(problem, leader, now=LATE_EVENING)
    with pytest.raises(RateLimited) as refused:
        submit(problem, leader, now=LATE_EVENING + timedelta(minutes=5))
    assert "600 seconds" in refused.value.message
    submit(problem, leader, now=LATE_EVENING + timedelta(minutes=10))


def test_status_reports_what_is_left(setup):
    problem, team, leader = setup
    submit(problem, leader, now=LATE_EVENING)
    state = quota.status(problem, team, LATE_EVENING)
    assert (state.daily_left, state.total_left, state.failed_left) == (1, 2, 1)
    assert state.resets_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def fail_validation(submission):
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, LATE_EVENING, LEASE, "w")
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, "bad", "", LATE_EVENING)


def test_failed_validation_is_refunded_within_its_own_allowance(setup):
    problem, team, leader = setup
    first = submit(problem, leader, now=LATE_EVENING)
    fail_validation(first)
    assert db.session.get(Submission, first.id).counted is False
    assert quota.status(problem, team, LATE_EVENING).daily_left == 2
    second = submit(problem, leader, now=LATE_EVENING)
    fail_validation(second)  # the allowance of 1 is used up: this one counts
    assert db.session.get(Submission, second.id).counted is True
    assert quota.status(problem, team, LATE_EVENING).daily_left == 1


def fail(submission, reason):
    """As the worker records a failure on our side: the organizer's programs, or the platform."""
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, LATE_EVENING, LEASE, "w")
        lifecycle.record_failure(submission, attempt, FailureKind.SYSTEM, "failed", "",
                                 LATE_EVENING, reason)  # fmt: skip
        lifecycle.refund_system(submission)


def test_an_organizer_side_failure_is_refunded_only_within_the_free_failures(setup):
    """A team's program can make the organizer's side fail on purpose (it exits before writing,
    or breaks the scorer): free without limit, that would spell hidden inputs a bit a run."""
    problem, team, leader = setup
    first = submit(problem, leader, now=LATE_EVENING)
    fail(first, "organizer")
    assert db.session.get(Submission, first.id).counted is False
    second = submit(problem, leader, now=LATE_EVENING)
    fail(second, "organizer")  # the allowance of 1 free failure is used up: this one counts
    assert db.session.get(Submission, second.id).counted is True
    assert quota.status(problem, team, LATE_EVENING).daily_left == 1


def test_a_failure_of_the_platform_itself_is_always_refunded(setup):
    problem, team, leader = setup
    for _ in range(2):
        fail(submit(problem, leader, now=LATE_EVENING), "worker_lost")
    assert quota.status(problem, team, LATE_EVENING).daily_left == 2


def test_twenty_parallel_uploads_against_a_limit_of_five(app, make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=5)
    leader = make.user()
    make.team(competition, leader)
    problem_id, user_id = problem.id, leader.id
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def upload() -> None:
        with app.app_context():
            from judge.accounts.models import User
            from judge.problems.models import Problem

            user, target = db.session.get(User, user_id), db.session.get(Problem, problem_id)
            db.session.commit()  # hand the connection back to the pool while waiting
            barrier.wait()
            try:
                with unit_of_work(), storage.staged(io.BytesIO(b"id,label\n1,0\n"), 100, "f") as s:
                    submissions.submit(target, user, s, "p.csv", "", LATE_EVENING)
                outcomes.append("accepted")
            except DomainError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=upload) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accepted") == 5
    assert outcomes.count("limit_reached") == 15
    assert db.session.query(Submission).count() == 5
