"""Issue 13, item 4: publishing the results and revealing the private boards go together.

The results page shows each finalist's quantitative part, which is derived from the private
score (100·private/best); publishing it while the private board answers "not revealed" leaks
the private order, and a published competition whose private boards stay closed is absurd.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from judge.audit import log as audit
from judge.core.db import utcnow
from judge.core.extensions import db
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted

POINTS = {"알파": [7, 7, 7], "베타": [9, 9, 9], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}


@pytest.fixture
def ready(stage):
    """Every finalist judged: the organizer may finalize."""
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    minister_award(stage)
    judge_everyone(stage, finalists, criteria, lambda name: POINTS.get(name, [6, 6, 6]))
    return stage


def private_board(client, stage, headers=None):
    return client.get(f"/api/v1/problems/{stage.problem.id}/leaderboard?board=private",
                      headers=headers or {})  # fmt: skip


def test_the_console_lists_the_boards_finalizing_will_reveal(client, login, ready):
    login(ready.organizer)
    page = client.get(f"/c/{ready.competition.slug}/finals").text
    assert "불량 검출" in page.split("data-finalize")[0].split("publishing them reveals")[1]
    confirm = client.get(f"/c/{ready.competition.slug}/finals/finalize").text
    assert "불량 검출" in confirm and 'name="reveal"' in confirm


def test_finalizing_without_confirming_the_reveal_publishes_nothing(client, login, ready):
    slug = ready.competition.slug
    login(ready.organizer)
    answer = client.post(f"/c/{slug}/finals/finalize", follow_redirects=True)
    assert "Confirm the reveal of the private leaderboards" in answer.text
    assert "불량 검출" in answer.text
    client.post("/logout")
    results = client.get(f"/c/{slug}/results").text
    assert "The results are not published yet." in results and "베타" not in results
    assert private_board(client, ready).status_code == 403
    assert [e for e in audit.entries(ready.competition.id) if e.action == "revealed"] == []


def test_finalizing_reveals_every_covered_board_to_everyone(client, login, make, ready):
    slug = ready.competition.slug
    login(ready.organizer)
    answer = client.post(f"/c/{slug}/finals/finalize", data={"reveal": "y"},
                         follow_redirects=True)  # fmt: skip
    assert "The results are finalized and published." in answer.text
    client.post("/logout")
    assert "베타" in client.get(f"/c/{slug}/results").text
    anonymous = private_board(client, ready)
    assert anonymous.status_code == 200 and anonymous.json["revealed"] is True
    assert [row["team"] for row in anonymous.json["rows"]][:2] == ["알파", "베타"]
    participant = {"Authorization": f"Bearer {make.token(ready.leaders['델타'])}"}
    assert private_board(client, ready, participant).status_code == 200
    page = client.get(f"/c/{slug}/p/{ready.problem.slug}/leaderboard?board=private")
    assert page.status_code == 200
    revealed = [e for e in audit.entries(ready.competition.id) if e.action == "revealed"]
    assert [(e.subject, e.actor_id) for e in revealed] == [("불량 검출", ready.organizer.id)]


def test_results_wait_while_a_covered_problem_takes_submissions_again(client, login, ready):
    """The organizers moved the problem's close date later after the shortlist: finalizing
    would publish numbers derived from a private board teams still submit against."""
    slug = ready.competition.slug
    ready.problem.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    login(ready.organizer)
    answer = client.post(f"/c/{slug}/finals/finalize", data={"reveal": "y"},
                         follow_redirects=True)  # fmt: skip
    assert "The results are finalized and published." not in answer.text
    assert "Submissions to 불량 검출 are still open" in answer.text
    client.post("/logout")
    results = client.get(f"/c/{slug}/results").text
    assert "The results are not published yet." in results and "베타" not in results
    assert private_board(client, ready).status_code == 403
    assert [e for e in audit.entries(ready.competition.id) if e.action == "revealed"] == []
