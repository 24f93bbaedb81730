"""A score arriving moves one standing; boards read before a change show it afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.teams import services as teams
from tests.submissions.helpers import score, scored, submit


@pytest.fixture
def problem(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    return problem


def leader_of(make, problem, name: str):
    leader = make.user()
    team = make.team(problem.competition, leader, name=name)
    return team, leader


class Statements:
    """The SQL statements the database receives while counting."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement: str, *_args) -> None:
        self.seen.append(" ".join(statement.split()))

    def writing(self, table: str) -> list[str]:
        verbs = (f"INSERT INTO {table} ", f"UPDATE {table} ", f"DELETE FROM {table} ")
        return [s for s in self.seen if s.startswith(verbs)]


def test_a_score_arriving_writes_one_standing_and_reads_no_board(make, problem):
    for n in range(5):
        _team, leader = leader_of(make, problem, f"Team {n}")
        scored(problem, leader, 0.1 * n, 0.1 * n)
    assert len(leaderboard.public_board(problem)) == 5
    _team, late = leader_of(make, problem, "Late")
    submission = submit(problem, late)
    with Statements() as statements:
        score(submission, 0.95, 0.5)
    assert len(statements.writing("standings")) == 1  # one team's row, not five or six
    assert not [s for s in statements.seen if "FROM standings JOIN teams" in s]  # no board
    rows = leaderboard.public_board(problem)
    assert [(r.rank, r.team, r.score) for r in rows[:2]] == [(1, "Late", 0.95), (2, "Team 4", 0.4)]


def test_a_board_read_before_a_change_shows_the_change(make, problem):
    first, a = leader_of(make, problem, "Alpha")
    _second, b = leader_of(make, problem, "Beta")
    scored(problem, a, 0.5, 0.5)
    scored(problem, b, 0.4, 0.4)
    assert [r.team for r in leaderboard.public_board(problem)] == ["Alpha", "Beta"]
    scored(problem, b, 0.9, 0.1)
    assert [(r.team, r.score, r.entries) for r in leaderboard.public_board(problem)] == [
        ("Beta", 0.9, 2), ("Alpha", 0.5, 1)]  # fmt: skip
    with unit_of_work():
        teams.rename_team(first, "Alpha Prime", utcnow(), any_time=True)
    assert [r.team for r in leaderboard.public_board(problem)] == ["Beta", "Alpha Prime"]
    with unit_of_work():
        first.disqualified_at = utcnow()
    assert [r.team for r in leaderboard.public_board(problem)] == ["Beta"]


def test_a_change_rolled_back_leaves_the_board_as_it_was(make, problem):
    first, a = leader_of(make, problem, "Alpha")
    scored(problem, a, 0.5, 0.5)
    with pytest.raises(RuntimeError), unit_of_work():
        teams.rename_team(first, "Never Shown", utcnow(), any_time=True)
        assert [r.team for r in leaderboard.public_board(problem)] == ["Never Shown"]
        raise RuntimeError("rolled back")
    assert [r.team for r in leaderboard.public_board(problem)] == ["Alpha"]
