"""Rank stability of one problem's finalists, computed in the worker and stored.

It reads each finalist's final submission (the one the private board ranks) and the
prepared solution from the storage the worker shares with the web servers, aligns them
with the scoring engine's own reading and validation, and bootstraps the private rows
(:mod:`judge.finals.bootstrap`). Problems scored by a sponsor's program or by teams'
code are not supported: their scores come from code judge does not run per row.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals.bootstrap import rank_stability
from judge.finals.models import Finalist, RankStability
from judge.finals.services import finalists, settings_of
from judge.leaderboard.models import Standing
from judge.problems.models import Problem
from judge.scoring.engine.errors import ScoringError, SubmissionError
from judge.scoring.engine.score import private_pairs
from judge.submissions.jobs import job_for
from judge.submissions.models import Submission

log = logging.getLogger(__name__)


def compute(problem_id: int) -> int:
    """Bootstrap every division's finalists of a problem; returns how many were stored."""
    problem = db.session.get(Problem, problem_id)
    if problem is None or not problem.mode.rank_stability:
        return 0
    resamples = settings_of(problem.competition).bootstrap_resamples
    groups: dict[int, list[Finalist]] = {}
    for finalist in finalists(problem):
        if not finalist.disqualified:
            groups.setdefault(finalist.division_id, []).append(finalist)
    stored = 0
    with unit_of_work():
        db.session.execute(sa.delete(RankStability).where(RankStability.finalist_id.in_(
            sa.select(Finalist.id).where(Finalist.problem_id == problem.id))))  # fmt: skip
        for group in groups.values():
            stored += _division(problem, group, resamples)
    return stored


def _division(problem: Problem, group: list[Finalist], resamples: int) -> int:
    solution = storage.path_of(problem.solution.prepared_key)
    pairs, metric = {}, None
    for finalist in group:
        submission = _final_submission(problem, finalist.team_id)
        if submission is None:
            continue
        try:
            metric, pairs[finalist.id] = private_pairs(
                job_for(submission), storage.path_of(submission.storage_key), solution
            )
        except (SubmissionError, ScoringError) as exc:
            log.warning("rank stability: submission %s skipped: %s", submission.id, exc.message)
    if metric is None:
        return 0
    found = rank_stability(pairs, metric.compute, problem.higher_is_better, resamples,
                           seed=problem.id)  # fmt: skip
    for finalist_id, s in found.items():
        db.session.add(RankStability(finalist_id=finalist_id, rank_low=s.rank_low,
                                     rank_high=s.rank_high, p_first=s.p_first,
                                     resamples=s.resamples, computed_at=utcnow()))  # fmt: skip
    return len(found)


def _final_submission(problem: Problem, team_id: int) -> Submission | None:
    submission_id = db.session.scalar(
        sa.select(Standing.final_submission_id).where(Standing.problem_id == problem.id,
                                                      Standing.team_id == team_id)
    )  # fmt: skip
    return db.session.get(Submission, submission_id) if submission_id else None


def of_competition(finalist_ids: list[int]) -> dict[int, RankStability]:
    if not finalist_ids:
        return {}
    rows = db.session.scalars(
        sa.select(RankStability).where(RankStability.finalist_id.in_(finalist_ids))
    )
    return {row.finalist_id: row for row in rows}
