"""Rank stability of one problem's finalists, computed in the worker and stored.

Each finalist's final submission (the one the private board ranks) and the prepared
solution go to the scoring sandbox as a scoring job's inputs do (the warm sandbox with
``SCORING_WARM``, a fresh one otherwise), one job per file
(:mod:`judge.scoring.resampling`); only the file's private score on each resample comes
back, and the worker ranks the finalists on those numbers (:mod:`judge.finals.bootstrap`).
The worker never parses a team's file. A file that fails in the sandbox (invalid, over a
limit, a crash), or whose score alone is undefined on some resample, is left out of its
division's bootstrap and stored with the reason.
Problems scored by a sponsor's program or by teams' code are not supported: their scores
come from code judge does not run per row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.core.i18n import N_
from judge.finals.bootstrap import Stability, rank_stability, undefined_alone
from judge.finals.models import Finalist, RankStability
from judge.finals.services import finalists, settings_of
from judge.leaderboard.models import Standing
from judge.problems.models import Problem
from judge.scoring.resampling import resample_file
from judge.scoring.setup import scoring_setup
from judge.submissions.jobs import job_for
from judge.submissions.models import Submission

log = logging.getLogger(__name__)

UNDEFINED_ALONE = N_(
    "Its score is undefined on some resamples where the other finalists' scores are not "
    "(for example, values so large that the metric overflows), so it cannot be ranked on them."
)


@dataclass
class _Outcome:
    """One division's result: intervals, and the finalists left out with the reason."""

    found: dict[int, Stability] = field(default_factory=dict)
    excluded: dict[int, str] = field(default_factory=dict)


def compute(problem_id: int) -> int:
    """Bootstrap every division's finalists of a problem; returns how many intervals were
    stored (finalists left out get a row with the reason instead)."""
    problem = db.session.get(Problem, problem_id)
    if problem is None or not problem.mode.rank_stability:
        return 0
    resamples = settings_of(problem.competition).bootstrap_resamples
    groups: dict[int, list[Finalist]] = {}
    for finalist in finalists(problem):
        if not finalist.disqualified:
            groups.setdefault(finalist.division_id, []).append(finalist)
    outcomes = [_division(problem, group, resamples) for group in groups.values()]
    with unit_of_work():
        db.session.execute(sa.delete(RankStability).where(RankStability.finalist_id.in_(
            sa.select(Finalist.id).where(Finalist.problem_id == problem.id))))  # fmt: skip
        for outcome in outcomes:
            _store(outcome)
    return sum(len(outcome.found) for outcome in outcomes)


def _division(problem: Problem, group: list[Finalist], resamples: int) -> _Outcome:
    """Resample each finalist's file in the sandbox, then rank those that came back."""
    setup, solution = scoring_setup(), storage.path_of(problem.solution.prepared_key)
    values, outcome = {}, _Outcome()
    for finalist in group:
        submission = _final_submission(problem, finalist.team_id)
        if submission is None:
            continue
        got = resample_file(setup, job_for(submission), storage.path_of(submission.storage_key),
                            solution, resamples, seed=problem.id)  # fmt: skip
        if got.ok:
            values[finalist.id] = got.values
        else:
            log.warning("rank stability: submission %s left out: %s\n%s", submission.id,
                        got.message, got.log)  # fmt: skip
            outcome.excluded[finalist.id] = got.message
    for finalist_id in undefined_alone(values):
        del values[finalist_id]
        outcome.excluded[finalist_id] = UNDEFINED_ALONE
    outcome.found = rank_stability(values, problem.higher_is_better)
    return outcome


def _store(outcome: _Outcome) -> None:
    now = utcnow()
    for finalist_id, s in outcome.found.items():
        db.session.add(RankStability(finalist_id=finalist_id, rank_low=s.rank_low,
                                     rank_high=s.rank_high, p_first=s.p_first,
                                     resamples=s.resamples, computed_at=now))  # fmt: skip
    for finalist_id, reason in outcome.excluded.items():
        db.session.add(RankStability(finalist_id=finalist_id, excluded=reason[:2000],
                                     computed_at=now))  # fmt: skip


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
