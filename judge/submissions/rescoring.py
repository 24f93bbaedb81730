"""Organizers' tools: re-score one submission or all of a problem, read a job's log.

Services flush; the caller commits, then hands the returned ids to the queue.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core.errors import Conflict, Forbidden
from judge.core.extensions import db
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.submissions import lifecycle
from judge.submissions.models import BY_TEAMS, ScoreHistory, Status, Submission

FINISHED = (Status.SCORED, Status.FAILED)


def require_manager(user: User | None, problem: Problem) -> None:
    if not problems.can_manage(user, problem):
        raise Forbidden(_("Only the organizers and the problem's sponsor may do this."))


def rescore_submission(submission: Submission, actor: User, now: datetime) -> int:
    """Queue one finished submission again; returns its id."""
    require_manager(actor, submission.problem)
    if not lifecycle.rescore(submission.id, now):
        raise Conflict(_("Only a scored or failed submission can be scored again."))
    audit.record(actor, "rescored", submission.problem.competition_id,
                 f"{submission.problem.title} #{submission.id}",
                 {"status": submission.status.value}, {"status": "queued"})  # fmt: skip
    db.session.refresh(submission)
    return submission.id


def _finished(problem: Problem) -> list[int]:
    return list(db.session.scalars(
        sa.select(Submission.id)
        .where(Submission.problem_id == problem.id, Submission.status.in_(FINISHED),
               BY_TEAMS)
        .order_by(Submission.id)
    ))  # fmt: skip


def rescore_plan(problem: Problem) -> int:
    """How many submissions :func:`rescore_problem` would queue now (changes nothing)."""
    return len(_finished(problem))


def rescore_problem(problem: Problem, actor: User, now: datetime) -> list[int]:
    """Queue every finished submission of a problem again; returns their ids."""
    require_manager(actor, problem)
    queued = [i for i in _finished(problem) if lifecycle.rescore(i, now)]
    audit.record(actor, "rescored", problem.competition_id, problem.title, None,
                 {"submissions": len(queued)})  # fmt: skip
    return queued


def problem_submissions(problem: Problem, actor: User | None, limit: int = 500) -> list[Submission]:
    """Every team's submissions to a problem, newest first (managers only); not the teams'
    validation runs, which are never scored."""
    require_manager(actor, problem)
    return list(db.session.scalars(
        sa.select(Submission).where(Submission.problem_id == problem.id,
                                    BY_TEAMS)
        .order_by(Submission.id.desc()).limit(limit)
    ))  # fmt: skip


def history(submission: Submission) -> list[ScoreHistory]:
    """Scores that re-scoring replaced, newest first."""
    return list(db.session.scalars(
        sa.select(ScoreHistory).where(ScoreHistory.submission_id == submission.id)
        .order_by(ScoreHistory.replaced_at.desc(), ScoreHistory.split)
    ))  # fmt: skip
