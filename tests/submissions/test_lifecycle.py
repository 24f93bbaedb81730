"""Claiming and recording are idempotent; an expired lease fences out the old attempt."""

from datetime import timedelta

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import lifecycle
from judge.submissions.models import FailureKind, Score, Status, Submission
from tests.submissions.helpers import LEASE, submit


def fresh(submission_id):
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def setup(make):
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    return problem, leader


def test_a_second_claim_finds_nothing(make):
    problem, leader = setup(make)
    submission = submit(problem, leader)
    now = utcnow()
    with unit_of_work():
        assert lifecycle.claim(submission.id, now, LEASE, "a") == 1
        assert lifecycle.claim(submission.id, now, LEASE, "b") is None
    assert fresh(submission.id).worker == "a"


def test_scores_are_recorded_once(make):
    problem, leader = setup(make)
    submission = submit(problem, leader)
    now = utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, now, LEASE, "a")
        assert lifecycle.record_scores(submission, attempt, 0.5, 0.6, "", now)
        assert not lifecycle.record_scores(submission, attempt, 0.9, 0.9, "", now)
    assert fresh(submission.id).public_score == 0.5
    assert db.session.query(Score).count() == 2


def test_expired_lease_lets_another_worker_take_over_and_fences_the_first(make):
    problem, leader = setup(make)
    submission = submit(problem, leader)
    start = utcnow()
    with unit_of_work():
        first = lifecycle.claim(submission.id, start, timedelta(seconds=10), "dead")
    later = start + timedelta(seconds=11)
    with unit_of_work():
        second = lifecycle.claim(submission.id, later, LEASE, "alive")
    assert (first, second) == (1, 2)
    with unit_of_work():
        assert not lifecycle.record_scores(submission, first, 0.1, 0.1, "", later)
        assert lifecycle.record_scores(submission, second, 0.7, 0.8, "", later)
    assert fresh(submission.id).public_score == 0.7


def test_cancelled_submission_is_never_scored(make):
    from judge.submissions import services

    problem, leader = setup(make)
    submission = submit(problem, leader)
    with unit_of_work():
        services.cancel(submission, leader, utcnow())
    with unit_of_work():
        assert lifecycle.claim(submission.id, utcnow(), LEASE, "a") is None
    assert fresh(submission.id).status == Status.CANCELLED


def test_requeue_gives_up_after_max_attempts_and_refunds(make):
    problem, leader = setup(make)
    submission = submit(problem, leader)
    now = utcnow()
    for attempt in range(3):
        with unit_of_work():
            lifecycle.claim(submission.id, now, timedelta(seconds=1), "dying")
        now += timedelta(seconds=2)
        with unit_of_work():
            published = lifecycle.requeue(submission.id, now, max_attempts=3)
        assert published == (attempt < 2)
    failed = fresh(submission.id)
    assert failed.status == Status.FAILED
    assert failed.failure_kind == FailureKind.SYSTEM
    assert "our side" in failed.error_message
    assert failed.counted is False
