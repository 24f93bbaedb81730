"""Charts on the participants' pages: the team's score history and the board's spread."""

from __future__ import annotations

import json
import re

from judge.core.db import unit_of_work, utcnow
from tests.submissions.helpers import score, submit


def chart_data(html: str, chart_id: str) -> dict | None:
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>',
                      html, re.S)  # fmt: skip
    return json.loads(found.group(1)) if found else None


def test_a_team_sees_its_public_scores_over_time_never_the_private_ones(client, login, make):
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    for public, private in [(0.61, 0.777001), (0.72, 0.777002), (0.70, 0.777003)]:
        score(submit(problem, leader), public, private)
    login(leader)
    page = client.get(f"/c/{competition.slug}/p/{problem.slug}")
    history = chart_data(page.text, "my-history")
    assert history["values"] == [0.61, 0.72, 0.70]
    assert "0.777" not in page.text


def test_the_leaderboard_shows_how_scores_spread(client, make):
    competition = make.competition()
    problem = make.problem(competition)
    for public in (0.5, 0.6, 0.9):
        leader = make.user()
        make.team(competition, leader)
        score(submit(problem, leader), public, 0.123456)
    page = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard")
    spread = chart_data(page.text, "board-spread")
    assert sum(spread["values"]) == 3
    assert "0.123" not in page.text
    with unit_of_work():
        problem.revealed_at = utcnow()
    private = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard?board=private")
    assert chart_data(private.text, "board-spread")["labels"] == ["0.1235"]
