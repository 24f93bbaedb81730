"""The problem's dashboard: its sponsor and the organizers see it; nobody else."""

from __future__ import annotations

import json
import re

from tests.finals.conftest import shortlisted


def chart_data(html: str, chart_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert found, f"no data for chart {chart_id}"
    return json.loads(found.group(1))


def test_the_sponsor_sees_activity_the_private_board_and_the_finalists(client, login, stage):
    shortlisted(stage)
    login(stage.sponsor)
    page = client.get(f"/c/{stage.competition.slug}/p/{stage.problem.slug}/dashboard")
    assert page.status_code == 200
    assert "Private leaderboard" in page.text  # submissions have closed
    assert sum(chart_data(page.text, "per-day")["values"]) == 6
    assert sum(chart_data(page.text, "spread")["values"]) == 6
    assert chart_data(page.text, "best")["values"][-1] == 0.9  # best public score: 0.91 − 0.01
    assert "vendor/chart-4.6.1.umd.min.js" in page.text
    assert "<script>" not in page.text  # the data travels as JSON only (no inline script)
    assert page.text.count("private rank") == 5


def test_others_cannot_open_the_dashboard(client, login, stage, make):
    url = f"/c/{stage.competition.slug}/p/{stage.problem.slug}/dashboard"
    assert client.get(url).status_code == 302  # to the login page
    other_sponsor = make.user()
    with_other = stage.competition
    from judge.competitions import services as competitions
    from judge.core.db import unit_of_work

    with unit_of_work():
        sponsor = competitions.add_sponsor(with_other, "다른 후원기업")
        competitions.add_sponsor_member(sponsor, other_sponsor.email, stage.organizer)
    for user in (stage.leaders["알파"], stage.judges["snu"], other_sponsor):
        login(user)
        assert client.get(url).status_code == 403
    login(stage.organizer)
    assert client.get(url).status_code == 200
