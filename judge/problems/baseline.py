"""Whether a problem's baseline run scored on its current scoring setup.

A problem imported from a bundle (``baseline_required``) is published only after an
organizer's baseline run (judge.submissions.baseline) scored on the solution, programs and
inputs it has now; replacing any of them asks for a new run.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem
from judge.submissions.models import Status, Submission


def setup_of(problem: Problem) -> str:
    """A fingerprint of everything that decides a score: it changes when any of them does."""
    parts = [problem.solution.storage_key if problem.solution else None, problem.metric,
             problem.metric_options, problem.scoring_program_key, problem.ingestion_program_key,
             problem.hidden_inputs_key, problem.runtime]  # fmt: skip
    if problem.scoring_wall_seconds is not None:  # (problems without one keep their print)
        parts.append(problem.scoring_wall_seconds)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def passed(problem: Problem) -> bool:
    """True when no baseline is needed, or one scored on the current setup."""
    if not problem.baseline_required:
        return True
    query = sa.select(Submission.id).where(
        Submission.problem_id == problem.id, Submission.team_id.is_(None),
        Submission.status == Status.SCORED, Submission.setup == setup_of(problem),
    ).limit(1)  # fmt: skip
    return db.session.scalar(query) is not None
