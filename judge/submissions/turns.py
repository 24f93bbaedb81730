"""The fair queue: which queued submission a worker takes next, and where one stands.

The rule (round-robin across teams): a worker takes the oldest queued submission of the
team whose turn is oldest. A team's turn (``Team.scoring_turn_at``) is the moment a worker
last took one of its submissions, on any problem; a team never served goes first. So at a
deadline a team that queued 50 files gets one of them scored, then waits behind every
other team with a file queued before its second one is taken: each round serves each
waiting team once, in the order they were last served.

A queue message names no submission: it says "score the next one", and the worker
chooses inside the transaction that claims the row (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two workers pick different rows; the guarded UPDATE of
:func:`judge.submissions.lifecycle.claim` is the fence on every database, and a worker
that loses a race picks again). One message is published per queued submission (upload,
re-score, sweep), so there is always a message for every row waiting.

A queued submission's place is counted by the same rule, assuming nothing else arrives:
its own team's older queued files, every other team's files in the earlier rounds, and in
its round the teams whose turn comes first. The team sees only that count and an
estimated wait, never who is ahead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from judge.core.extensions import db
from judge.problems.models import Problem, SubmissionKind
from judge.submissions import heartbeat, monitoring
from judge.submissions.models import Status, Submission
from judge.teams.models import Team

#: How many recent scoring runs the estimated wait averages.
RECENT_RUNS = 20


def next_queued() -> int | None:
    """The id of the queued submission the fair rule serves next (locked on PostgreSQL)."""
    return db.session.scalar(
        sa.select(Submission.id)
        .outerjoin(Team, Team.id == Submission.team_id)  # a baseline run (no team) goes first
        .where(Submission.status == Status.QUEUED)
        .order_by(Team.scoring_turn_at.asc().nulls_first(), Submission.queued_at, Submission.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Submission)
    )


def take_turn(team_id: int, now: datetime) -> None:
    """The team was just served: it goes to the back of the round."""
    db.session.execute(
        sa.update(Team)
        .where(Team.id == team_id)
        .values(scoring_turn_at=now)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Place:
    position: int  # 1: the next one a worker takes
    estimated_wait_seconds: int | None  # until scored; None without recent runs or workers


@dataclass(frozen=True)
class _Waiting:
    team_id: int
    count: int
    order: tuple  # the team's place in a round: turn (None first), then oldest file


def places_now(submissions: list[Submission], now: datetime) -> dict[int, Place]:
    """:func:`places` with the slots of the workers alive at ``now``."""
    if not any(s.status == Status.QUEUED for s in submissions):
        return {}
    stale = heartbeat.stale_after(current_app.config)
    return places(submissions, monitoring.workers(db.session, now, stale).slots)


def places(submissions: list[Submission], slots: int) -> dict[int, Place]:
    """The place of each queued submission among ``submissions`` (by id), for ``slots``
    live worker slots."""
    queued = [s for s in submissions if s.status == Status.QUEUED]
    if not queued:
        return {}
    teams = _waiting_teams()
    run = _recent_run_seconds()
    return {s.id: _place(_ahead(s, teams), run, slots) for s in queued}


def _waiting_teams() -> dict[int, _Waiting]:
    rows = db.session.execute(
        sa.select(Submission.team_id, sa.func.count(), sa.func.min(Submission.queued_at),
                  Team.scoring_turn_at)
        .join(Team, Team.id == Submission.team_id)
        .where(Submission.status == Status.QUEUED)
        .group_by(Submission.team_id, Team.scoring_turn_at)
    ).all()  # fmt: skip
    return {
        team_id: _Waiting(team_id, count, (turn is not None, turn or oldest, oldest, team_id))
        for team_id, count, oldest, turn in rows
    }


def _ahead(submission: Submission, teams: dict[int, _Waiting]) -> int:
    """How many queued submissions the rule serves before this one."""
    own = teams.get(submission.team_id)
    if own is None:  # taken meanwhile
        return 0
    earlier = db.session.scalar(
        sa.select(sa.func.count())
        .where(Submission.team_id == submission.team_id, Submission.status == Status.QUEUED,
               sa.tuple_(Submission.queued_at, Submission.id)
               < sa.tuple_(submission.queued_at, submission.id))
    )  # fmt: skip
    ahead = earlier
    for other in teams.values():
        if other.team_id != own.team_id:
            ahead += min(other.count, earlier) + (other.count > earlier and other.order < own.order)
    return ahead


def _recent_run_seconds() -> float | None:
    """The mean of the last file scorings' durations. Never runs of teams' code: their time
    on hidden data is a channel, so it is shown to no one."""
    recent = (
        sa.select(Submission.run_seconds)
        .join(Problem, Problem.id == Submission.problem_id)
        .where(
            Submission.run_seconds.is_not(None),
            Submission.finished_at.is_not(None),
            Problem.submission_kind != SubmissionKind.CODE,
        )
        .order_by(Submission.finished_at.desc())
        .limit(RECENT_RUNS)
        .subquery()
    )
    return db.session.scalar(sa.select(sa.func.avg(recent.c.run_seconds)))


def _place(ahead: int, run_seconds: float | None, slots: int) -> Place:
    if run_seconds is None or slots < 1:
        return Place(ahead + 1, None)
    rounds = ahead // slots + 1  # the jobs ahead share the slots; then this one runs
    return Place(ahead + 1, max(math.ceil(rounds * run_seconds), 1))
