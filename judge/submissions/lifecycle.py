"""A submission's way through the queue: claim, finish, retry, sweep.

Every change is a guarded UPDATE on the row, so a duplicated or re-delivered
task, or a worker that lost its lease, can never score twice or overwrite a
newer result. The attempt number is the fencing token.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from judge.core import queue
from judge.core.extensions import db
from judge.core.i18n import N_
from judge.leaderboard import services as leaderboard
from judge.submissions import news, quota
from judge.submissions.models import (
    FailureKind,
    Score,
    ScoreHistory,
    Split,
    Status,
    Submission,
)

log = logging.getLogger(__name__)

GAVE_UP = N_(
    "Scoring could not be completed after several attempts because of a problem on our side. "
    "This submission does not count against your limits; please submit it again."
)


SCORE_TASK = "judge.score_next"


def publish_after_commit(submission_id: int) -> None:
    """Once this transaction commits, tell the workers one more submission waits (they take
    the one the fair queue serves next); if the broker is down then, leave it to the sweep."""
    waiting = Submission.id == submission_id, Submission.status == Status.QUEUED
    unsent = sa.update(Submission).where(*waiting).values(enqueued_at=None)
    queue.after_commit(SCORE_TASK, unsent=unsent)


def claim(submission_id: int, now: datetime, lease: timedelta, worker: str) -> int | None:
    """Take a queued submission (or one whose lease ran out); returns the attempt number."""
    claimable = sa.or_(
        Submission.status == Status.QUEUED,
        sa.and_(Submission.status == Status.RUNNING, Submission.lease_expires_at < now),
    )
    return db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission_id, claimable)
        .values(status=Status.RUNNING, started_at=now, lease_expires_at=now + lease,
                attempts=Submission.attempts + 1, worker=worker[:200])
        .returning(Submission.attempts)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()  # fmt: skip


def _finish(submission: Submission, attempt: int, now: datetime, **values) -> bool:
    """Write the outcome only if this attempt still holds the submission."""
    started = db.session.scalar(sa.select(Submission.started_at)
                                .where(Submission.id == submission.id))  # fmt: skip
    seconds = max((now - started).total_seconds(), 0.0) if started else None
    done = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.status == Status.RUNNING,
               Submission.attempts == attempt)
        .values(finished_at=now, lease_expires_at=None, run_seconds=seconds, **values)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if done != 1:
        log.warning(
            "submission %s: attempt %s lost its lease; result dropped", submission.id, attempt
        )
    return done == 1


def record_scores(submission: Submission, attempt: int, public: float, private: float,
                  log_text: str, now: datetime, details: dict | None = None) -> bool:  # fmt: skip
    """Store both scores and move the team's standing, if this attempt still holds the row.

    ``details`` holds, per split, a scoring program's values of every leaderboard column or
    a built-in metric's details (see :mod:`judge.submissions.details`).
    """
    if not _finish(submission, attempt, now, status=Status.SCORED, log=log_text,
                   error_message=None, failure_kind=None):  # fmt: skip
        return False
    before = submission.public_score if submission.rescored_at else None
    _keep_replaced_scores(submission, now)
    for split, value in ((Split.PUBLIC, public), (Split.PRIVATE, private)):
        db.session.add(Score(submission_id=submission.id, split=split, value=value,
                             details=(details or {}).get(split.value), scored_at=now))  # fmt: skip
    db.session.flush()
    db.session.refresh(submission)
    if submission.team is None:  # a baseline run: on no board, told to no team
        return True
    leaderboard.refresh_standing(submission.problem, submission.team, now)
    news.scored(submission, before, now)
    return True


def record_failure(submission: Submission, attempt: int, kind: FailureKind, message: str,
                   log_text: str, now: datetime, reason: str | None = None) -> bool:  # fmt: skip
    """Mark the submission failed with a message the team can act on.

    ``reason`` is one of FAILURE_REASONS, for the operators' metrics.
    """
    if not _finish(submission, attempt, now, status=Status.FAILED, failure_kind=kind,
                   error_message=message, log=log_text, failure_reason=reason):  # fmt: skip
        return False
    db.session.refresh(submission)
    if submission.team is None:  # a baseline run: the manage page shows why
        return True
    news.failed(submission, now)
    if submission.rescored_at is not None:  # a re-score: counts stay, the old score goes
        if _keep_replaced_scores(submission, now):
            leaderboard.refresh_standing(submission.problem, submission.team, now)
        return True
    if kind == FailureKind.INVALID:
        quota.refund_failed_upload(submission)
    return True


def record_validation(submission: Submission, attempt: int, kind: FailureKind | None,
                      message: str, output: str, log_text: str, now: datetime,
                      reason: str | None = None) -> bool:  # fmt: skip
    """A validation run's outcome, if this attempt still holds it: passed (``kind`` None) or
    failed, never a score; ``output`` is shown to the team."""
    return _finish(submission, attempt, now, status=Status.FAILED if kind else Status.SCORED,
                   failure_kind=kind, error_message=message or None, output=output,
                   log=log_text, failure_reason=reason)  # fmt: skip


def _keep_replaced_scores(submission: Submission, now: datetime) -> bool:
    """Move the scores a re-score replaces into the history; True if there were any."""
    old = list(db.session.scalars(sa.select(Score).where(Score.submission_id == submission.id)))
    for score in old:
        db.session.add(ScoreHistory(submission_id=submission.id, split=score.split,
                                    value=score.value, details=score.details,
                                    scored_at=score.scored_at, replaced_at=now))  # fmt: skip
        db.session.delete(score)
    db.session.flush()
    return bool(old)


def rescore(submission_id: int, now: datetime) -> bool:
    """Queue a finished submission again (after a fixed solution or scoring program).

    Its scores stay on the boards until the new ones replace them; they are then kept in
    the history. Its team's counts do not change."""
    queued = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission_id,
               Submission.status.in_([Status.SCORED, Status.FAILED]))
        .values(status=Status.QUEUED, attempts=0, worker=None, started_at=None,
                lease_expires_at=None, finished_at=None, enqueued_at=now, rescored_at=now,
                queued_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if queued:
        publish_after_commit(submission_id)
    return queued == 1


def release(submission: Submission, attempt: int, log_text: str, now: datetime) -> None:
    """Give a submission back to the queue after a failure on our side."""
    db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.status == Status.RUNNING,
               Submission.attempts == attempt)
        .values(status=Status.QUEUED, lease_expires_at=None, log=log_text, queued_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def hand_back(submission: Submission, attempt: int, now: datetime) -> bool:
    """Give a running submission back as if this attempt had never started (its worker is
    stopping): queued again, the attempt not counted, for the sweep to publish again."""
    handed = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.status == Status.RUNNING,
               Submission.attempts == attempt)
        .values(status=Status.QUEUED, attempts=attempt - 1, worker=None, started_at=None,
                lease_expires_at=None, enqueued_at=None, queued_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    return handed == 1


def pass_on(submission_id: int) -> None:
    """Leave a queued submission to the sweep, which publishes it again to any worker."""
    db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission_id, Submission.status == Status.QUEUED)
        .values(enqueued_at=None)
        .execution_options(synchronize_session=False)
    )


def stale(now: datetime, requeue_after: timedelta) -> tuple[list[int], list[int]]:
    """Submissions to hand to the queue again: expired leases, and queued ones left waiting."""
    expired = db.session.scalars(
        sa.select(Submission.id).where(
            Submission.status == Status.RUNNING, Submission.lease_expires_at < now
        )
    )
    waiting = db.session.scalars(
        sa.select(Submission.id).where(
            Submission.status == Status.QUEUED,
            sa.or_(Submission.enqueued_at.is_(None), Submission.enqueued_at < now - requeue_after),
        )
    )
    return list(expired), list(waiting)


def requeue(submission_id: int, now: datetime, max_attempts: int) -> bool:
    """Put an expired submission back in the queue, or fail it after too many attempts.

    Returns True when it should be published again.
    """
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status not in (Status.RUNNING, Status.QUEUED):
        return False
    if submission.status == Status.RUNNING and submission.attempts >= max_attempts:
        if record_failure(submission, submission.attempts, FailureKind.SYSTEM, GAVE_UP,
                          submission.log or "", now, reason="worker_lost"):  # fmt: skip
            refund_system(submission)
        return False
    updated = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission_id,
               sa.or_(Submission.status == Status.QUEUED,
                      sa.and_(Submission.status == Status.RUNNING,
                              Submission.lease_expires_at < now)))
        .values(status=Status.QUEUED, lease_expires_at=None, enqueued_at=now,
                queued_at=sa.case((Submission.status == Status.RUNNING, now),
                                  else_=Submission.queued_at))
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    return updated == 1


def refund_system(submission: Submission) -> None:
    """A failure on our side never costs the team a submission (a re-score cost none); an
    upload to a phase is given back once every task failed (quota.refund_failed_upload)."""
    if submission.rescored_at is None:
        quota.refund_failed_upload(submission)
