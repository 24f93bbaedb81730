"""The scoring job a worker runs for one submission, and the periodic sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from judge import sandbox
from judge.core import logs, queue, storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.scoring import runner
from judge.scoring.setup import lease, scoring_setup
from judge.submissions import lifecycle
from judge.submissions.models import FailureKind, Submission

log = logging.getLogger(__name__)


def job_for(submission: Submission) -> dict:
    """What the engine needs to know about the problem (never the split's salt)."""
    problem = submission.problem
    return {
        "metric": problem.metric,
        "id_column": problem.id_column,
        "prediction_columns": list(problem.prediction_columns or []),
        "target_columns": list(problem.solution.target_columns or []),
        "max_bytes": int(current_app.config["MAX_SUBMISSION_BYTES"]),
    }


def score_submission(submission_id: int, worker: str) -> str:
    """Claim, score in the sandbox, record. Safe to run twice: the second run does nothing.

    Every log line written meanwhile, by us or a library, names the submission.
    """
    with logs.bound(submission_id=submission_id):
        return _score_submission(submission_id, worker)


def _score_submission(submission_id: int, worker: str) -> str:
    with unit_of_work():
        attempt = lifecycle.claim(submission_id, utcnow(), lease(), worker)
    if attempt is None:
        log.info("submission %s: nothing to do (already taken or finished)", submission_id)
        return "skipped"
    submission = db.session.get(Submission, submission_id)
    logs.bind(problem_id=submission.problem_id, attempt=attempt)
    log.info("submission %s: scoring, attempt %s", submission_id, attempt)
    try:
        verdict = _run(submission)
    except sandbox.SandboxUnavailable as exc:
        log.error("submission %s: sandbox unavailable: %s", submission_id, exc)
        with unit_of_work():
            lifecycle.release(submission, attempt, f"sandbox unavailable: {exc}")
        return "released"
    with unit_of_work():
        _record(submission, attempt, verdict)
    log.info("submission %s: %s", submission_id, verdict.status)
    runner.prewarm(scoring_setup())  # the next job's sandbox, off its critical path
    return verdict.status


def _run(submission: Submission) -> runner.Verdict:
    solution = submission.problem.solution
    return runner.score_file(
        scoring_setup(),
        job_for(submission),
        storage.path_of(submission.storage_key),
        storage.path_of(solution.prepared_key),
    )


FAILURE_KINDS = {"invalid": FailureKind.INVALID, "limit": FailureKind.LIMIT}
#: For verdicts that do not name a reason themselves.
FALLBACK_REASONS = {"invalid": "validation", "error": "crash"}


def _record(submission: Submission, attempt: int, verdict: runner.Verdict) -> None:
    now = utcnow()
    if verdict.scored:
        lifecycle.record_scores(submission, attempt, verdict.public, verdict.private,
                                verdict.log, now)  # fmt: skip
        return
    kind = FAILURE_KINDS.get(verdict.status, FailureKind.SYSTEM)
    reason = verdict.reason or FALLBACK_REASONS.get(verdict.status, "other")
    if lifecycle.record_failure(submission, attempt, kind, verdict.message, verdict.log, now,
                                reason) and kind == FailureKind.SYSTEM:  # fmt: skip
        lifecycle.refund_system(submission)


def sweep() -> int:
    """Publish again what a dead worker or a lost message left behind; returns how many."""
    cfg = current_app.config
    now = utcnow()
    expired, waiting = lifecycle.stale(now, timedelta(seconds=cfg["REQUEUE_AFTER_SECONDS"]))
    published = 0
    for submission_id in expired + waiting:
        with unit_of_work():
            again = lifecycle.requeue(submission_id, now, int(cfg["SCORING_MAX_ATTEMPTS"]))
        if again:
            published += _publish(submission_id)
    return published


def _publish(submission_id: int) -> int:
    from judge.submissions.tasks import score_submission_task

    return int(queue.send(score_submission_task, submission_id))


def enqueue(submission: Submission) -> None:
    """Hand a committed submission to the workers; if the broker is down, the sweep will."""
    from judge.submissions.tasks import score_submission_task

    if not queue.send(score_submission_task, submission.id):
        with unit_of_work():
            submission.enqueued_at = None
