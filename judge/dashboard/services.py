"""What a problem's dashboard shows, read from submissions, scores and standings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from judge.charts import series
from judge.core.extensions import db
from judge.finals.models import Finalist
from judge.finals.services import finalists
from judge.leaderboard import services as leaderboard
from judge.problems.models import Problem
from judge.submissions.models import BY_TEAMS, Score, Split, Status, Submission

TOP = 20


@dataclass(frozen=True)
class Dashboard:
    private: bool  # the board shown is the private one (submissions have closed)
    board: list[leaderboard.Row]
    teams: int
    submissions: int
    scored: int
    failed: int
    per_day: series.Series
    best_over_time: series.Series
    distribution: series.Series
    finalists: list[Finalist]


def dashboard(problem: Problem, now: datetime) -> Dashboard:
    tz = problem.competition.timezone
    private = leaderboard.submissions_closed(problem, now)
    board = leaderboard.private_board(problem) if private else leaderboard.public_board(problem)
    statuses = _status_counts(problem)
    return Dashboard(
        private=private,
        board=board[:TOP],
        teams=_teams(problem),
        submissions=sum(statuses.values()),
        scored=statuses.get(Status.SCORED, 0),
        failed=statuses.get(Status.FAILED, 0),
        per_day=series.per_day(_created(problem), tz),
        best_over_time=series.best_over_time(_public_scores(problem), tz, problem.higher_is_better),
        distribution=series.distribution([row.score for row in board]),
        finalists=finalists(problem),
    )


def _status_counts(problem: Problem) -> dict[Status, int]:
    rows = db.session.execute(
        sa.select(Submission.status, sa.func.count())
        .where(Submission.problem_id == problem.id, BY_TEAMS)
        .group_by(Submission.status)
    )
    return {status: count for status, count in rows}


def _teams(problem: Problem) -> int:
    query = sa.select(sa.func.count(sa.distinct(Submission.team_id))).where(
        Submission.problem_id == problem.id, BY_TEAMS
    )
    return int(db.session.scalar(query) or 0)


def _created(problem: Problem) -> list[datetime]:
    query = sa.select(Submission.created_at).where(Submission.problem_id == problem.id, BY_TEAMS)
    return list(db.session.scalars(query))


def _public_scores(problem: Problem) -> list[tuple[datetime, float]]:
    query = (
        sa.select(Submission.created_at, Score.value)
        .join(Score, Score.submission_id == Submission.id)
        .where(Submission.problem_id == problem.id, Score.split == Split.PUBLIC, BY_TEAMS)
    )
    return [(at, value) for at, value in db.session.execute(query)]
