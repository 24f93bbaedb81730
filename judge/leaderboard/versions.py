"""Each problem's board version: a random token replaced whenever one of its boards may change.

A board shows standings and the names and state of teams. Every flush that adds, changes
or removes a standing of a problem, or changes a team's name, division, disbanding or
disqualification, writes a new token to ``problems.board_version`` of the problems
concerned, in the same transaction (a rolled-back change leaves the old token; a token
is never reused, so a board kept under one stays the board of that token). Statements
that write standings without the ORM call :func:`bump` themselves.

The problem's own settings (order, columns, decimals) are part of a kept board's key
instead (``judge.leaderboard.cache``); visibility is checked on every request.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from judge.leaderboard.models import Standing
from judge.problems.models import Problem
from judge.teams.models import Team

# The team's columns a board shows or filters on.
TEAM_FIELDS = ("name", "division_id", "disbanded_at", "disqualified_at")


def read(problem_id: int, session: Session) -> int:
    """The problem's token as this transaction sees it (its own changes included)."""
    return session.scalar(sa.select(Problem.board_version).where(Problem.id == problem_id))


def bump(session: Session, problem_ids: Iterable[int] = (),
         competition_ids: Iterable[int] = ()) -> None:  # fmt: skip
    """A new token for the problems, and for every problem of the competitions."""
    problem_ids, competition_ids = set(problem_ids), set(competition_ids)
    if not (problem_ids or competition_ids):
        return
    table = Problem.__table__
    which = sa.or_(table.c.id.in_(problem_ids), table.c.competition_id.in_(competition_ids))
    session.connection().execute(
        table.update().where(which).values(board_version=secrets.randbits(62))
    )


@sa.event.listens_for(Session, "after_flush")
def _changed(session: Session, _context) -> None:
    """Boards of the standings and teams this flush wrote get a new token."""
    problems = {obj.problem_id for obj in (*session.new, *session.deleted)
                if isinstance(obj, Standing)}  # fmt: skip
    competitions = {obj.competition_id for obj in session.deleted if isinstance(obj, Team)}
    for obj in session.dirty:
        if isinstance(obj, Standing) and session.is_modified(obj):
            problems.add(obj.problem_id)
        elif isinstance(obj, Team) and _shown_changed(obj):
            competitions.add(obj.competition_id)
    bump(session, problems, competitions)


def _shown_changed(team: Team) -> bool:
    state = sa.inspect(team)
    return any(state.attrs[name].history.has_changes() for name in TEAM_FIELDS)
