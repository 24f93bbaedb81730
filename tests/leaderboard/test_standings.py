"""Boards built from standings as scores arrive."""

from datetime import timedelta

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.leaderboard import services as leaderboard
from judge.submissions import services as submissions
from tests.submissions.helpers import scored, submit


@pytest.fixture
def board(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    return competition, problem


def team_with_leader(make, competition, division=0, name=None):
    leader = make.user()
    team = make.team(competition, leader, division=division, name=name)
    return team, leader


def test_public_board_ranks_best_public_with_ties_to_earlier(make, board):
    competition, problem = board
    _early, a = team_with_leader(make, competition, name="Early")
    _late, b = team_with_leader(make, competition, name="Late")
    _third, c = team_with_leader(make, competition, name="Third")
    start = utcnow()
    scored(problem, b, 0.9, 0.1, now=start + timedelta(minutes=5))
    scored(problem, a, 0.9, 0.1, now=start)
    scored(problem, a, 0.2, 0.1, now=start + timedelta(minutes=9))
    scored(problem, c, 0.5, 0.9, now=start)
    rows = leaderboard.public_board(problem)
    assert [(r.rank, r.team, r.score) for r in rows] == [
        (1, "Early", 0.9), (2, "Late", 0.9), (3, "Third", 0.5)]  # fmt: skip
    assert rows[0].entries == 2


def test_unscored_teams_do_not_rank(make, board):
    competition, problem = board
    _team, leader = team_with_leader(make, competition)
    submit(problem, leader)
    assert leaderboard.public_board(problem) == []


def test_lower_is_better_metric(make):
    competition = make.competition()
    problem = make.problem(
        competition, metric="rmse", solution="id,y\n" + "".join(f"{i},{i}.5\n" for i in range(30))
    )
    _t1, a = team_with_leader(make, competition, name="Alpha")
    _t2, b = team_with_leader(make, competition, name="Beta")
    scored(problem, a, 3.0, 3.0)
    scored(problem, b, 1.0, 1.0)
    assert [r.team for r in leaderboard.public_board(problem)] == ["Beta", "Alpha"]


def test_private_board_uses_selection_or_best_public_ones(make, board):
    competition, problem = board
    _t1, picky = team_with_leader(make, competition, name="Picky")
    _t2, lazy = team_with_leader(make, competition, name="Lazy")
    overfit = scored(problem, picky, 0.99, 0.50)
    robust = scored(problem, picky, 0.80, 0.95)
    with unit_of_work():
        submissions.set_selected(robust, picky, True, utcnow())
    scored(problem, lazy, 0.70, 0.60)
    scored(problem, lazy, 0.90, 0.65)
    scored(problem, lazy, 0.85, 0.99)  # second best public: among the auto-selected two
    rows = leaderboard.private_board(problem)
    assert [(r.team, r.score, r.auto_selected) for r in rows] == [
        ("Lazy", 0.99, True), ("Picky", 0.95, False)]  # fmt: skip
    assert overfit.id != robust.id


def test_blended_private_board(make):
    competition = make.competition()
    problem = make.problem(competition, blend_public_weight=0.3, daily_limit=None)
    _t, leader = team_with_leader(make, competition, name="Blend")
    scored(problem, leader, 0.8, 0.6)
    row = leaderboard.private_board(problem)[0]
    assert row.score == pytest.approx(0.3 * 0.8 + 0.7 * 0.6)
    assert row.private_score == 0.6


def test_division_filter(make, board):
    competition, problem = board
    _g, grad = team_with_leader(make, competition, division=0, name="Grad")
    _u, under = team_with_leader(make, competition, division=1, name="Under")
    scored(problem, grad, 0.5, 0.5)
    scored(problem, under, 0.6, 0.6)
    grad_division = competition.divisions[0].id
    assert [r.team for r in leaderboard.public_board(problem, grad_division)] == ["Grad"]
    assert [r.rank for r in leaderboard.public_board(problem)] == [1, 2]
