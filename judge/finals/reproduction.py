"""Reproduction: re-run a finalist's final code submission and compare its private score.

Re-runs of the same code are not always identical (0.746, 0.738 and 0.732 were reported
for one team's reruns), so a re-run reproduces the leaderboard when its private score is
within the problem's tolerance (absolute difference). The re-run happens in the worker,
in the sandbox, exactly as scoring does, and changes no leaderboard.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from judge import sandbox
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.core.i18n import N_
from judge.finals import news
from judge.finals.models import Finalist, Reproduction
from judge.leaderboard.models import Standing
from judge.submissions import jobs
from judge.submissions.models import Submission

log = logging.getLogger(__name__)
DID_NOT_SCORE = N_("The re-run did not score.")  # followed by the engine's own message


def final_submission(finalist: Finalist) -> Submission | None:
    submission_id = db.session.scalar(
        sa.select(Standing.final_submission_id).where(
            Standing.problem_id == finalist.problem_id, Standing.team_id == finalist.team_id
        )
    )
    return db.session.get(Submission, submission_id) if submission_id else None


def reproduce(finalist_id: int) -> str:
    """Re-run and record the outcome on the finalist; returns it."""
    finalist = db.session.get(Finalist, finalist_id)
    if finalist is None or not finalist.problem.mode.reproduction:
        return "skipped"
    submission = final_submission(finalist)
    if submission is None:
        return _record(finalist, Reproduction.FAILED, N_("The team has no final submission."))
    try:
        verdict = jobs.verdict_of(submission)
    except sandbox.SandboxUnavailable as exc:  # our side: leave it pending for another try
        log.error("finalist %s: sandbox unavailable: %s", finalist_id, exc)
        return Reproduction.PENDING
    return _record(finalist, *_outcome(finalist, submission, verdict))


def _outcome(finalist: Finalist, submission: Submission, verdict) -> tuple[str, str]:
    expected = submission.private_score
    if expected is None:
        return Reproduction.FAILED, N_("The final submission has no private score.")
    if not verdict.scored:
        return Reproduction.FAILED, f"{DID_NOT_SCORE} {verdict.message}"
    tolerance = finalist.problem.reproduction_tolerance
    difference = abs(verdict.private - expected)
    note = (f"Re-run private score {verdict.private:.6g} against {expected:.6g} on the "
            f"leaderboard (difference {difference:.3g}, tolerance {tolerance:g}).")  # fmt: skip
    return (Reproduction.REPRODUCED if difference <= tolerance else Reproduction.FAILED), note


def _record(finalist: Finalist, outcome: str, note: str) -> str:
    with unit_of_work():
        finalist.reproduction, finalist.reproduction_note = outcome, note
        news.reproduced(finalist, outcome, utcnow())
    return outcome
