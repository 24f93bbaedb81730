"""Boards of a program-scored problem: secondary columns break ties before time does."""

from datetime import timedelta

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.submissions import services as submissions
from tests.submissions.helpers import scored

COLUMNS = [
    {"key": "map", "label": "mAP@0.75", "higher_is_better": True, "precision": 3},
    {"key": "latency", "label": "Latency (ms)", "higher_is_better": False, "precision": 0},
    {"key": "recall", "label": "Recall", "higher_is_better": True, "precision": 3},
]


def both(values: dict) -> dict:
    return {"public": values, "private": values}


@pytest.fixture
def problem(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    problem.score_columns = COLUMNS
    problem.scoring_program_key = "0" * 64
    db.session.commit()
    return problem


def leader(make, problem, name):
    user = make.user()
    make.team(problem.competition, user, name=name)
    return user


def test_equal_primary_scores_go_to_the_better_secondary_column(make, problem):
    early, late, third = (leader(make, problem, n) for n in ("Early", "Fast", "Third"))
    start = utcnow()
    scored(problem, early, 0.8, 0.8, now=start, details=both({"map": 0.8, "latency": 90}))
    scored(problem, late, 0.8, 0.8, now=start + timedelta(minutes=5),
           details=both({"map": 0.8, "latency": 40}))  # fmt: skip
    scored(problem, third, 0.5, 0.9, now=start, details=both({"map": 0.5, "latency": 1}))
    rows = leaderboard.public_board(problem)
    assert [(r.rank, r.team) for r in rows] == [(1, "Fast"), (2, "Early"), (3, "Third")]
    assert rows[0].details == {"map": 0.8, "latency": 40}


def test_a_missing_secondary_value_sorts_after_a_present_one(make, problem):
    with_it, without = leader(make, problem, "Reported"), leader(make, problem, "Silent")
    start = utcnow()
    scored(problem, without, 0.7, 0.7, now=start, details=both({"map": 0.7}))
    scored(problem, with_it, 0.7, 0.7, now=start + timedelta(minutes=1),
           details=both({"map": 0.7, "latency": 500}))  # fmt: skip
    assert [r.team for r in leaderboard.public_board(problem)] == ["Reported", "Silent"]


def test_a_teams_best_entry_uses_the_tiebreak_too(make, problem):
    user = leader(make, problem, "Solo")
    start = utcnow()
    scored(problem, user, 0.6, 0.6, now=start, details=both({"map": 0.6, "latency": 80,
                                                            "recall": 0.1}))  # fmt: skip
    second = scored(problem, user, 0.6, 0.6, now=start + timedelta(minutes=1),
                    details=both({"map": 0.6, "latency": 80, "recall": 0.9}))  # fmt: skip
    rows = leaderboard.public_board(problem)
    assert rows[0].details["recall"] == 0.9
    with unit_of_work():
        submissions.set_selected(second, user, True, start + timedelta(minutes=2))
    assert leaderboard.private_board(problem)[0].details["recall"] == 0.9


def test_the_board_shows_every_column_with_its_precision_and_the_public_values_only(
    make, problem, client
):
    user = leader(make, problem, "Detectors")
    scored(problem, user, 0.81234, 0.5, details={
        "public": {"map": 0.81234, "latency": 41.7, "recall": 0.5},
        "private": {"map": 0.5, "latency": 777.0, "recall": 0.25}})  # fmt: skip
    url = f"/c/{problem.competition.slug}/p/{problem.slug}/leaderboard"
    page = client.get(url).get_data(as_text=True)
    for text in ("mAP@0.75", "Latency (ms)", "Recall", "0.812", ">42<", "0.500"):
        assert text in page, text
    assert "777" not in page and "0.250" not in page  # private values stay hidden
    body = client.get(f"/api/v1/problems/{problem.id}/leaderboard").get_json()
    assert [c["key"] for c in body["columns"]] == ["map", "latency", "recall"]
    assert body["rows"][0]["details"] == {"map": 0.81234, "latency": 41.7, "recall": 0.5}
    private = client.get(f"/api/v1/problems/{problem.id}/leaderboard?board=private")
    assert private.status_code == 403 and "777" not in private.get_data(as_text=True)


def test_the_csv_export_carries_the_secondary_columns(make, problem, client, login):
    user = leader(make, problem, "Detectors")
    scored(problem, user, 0.8, 0.5, details=both({"map": 0.8, "latency": 40, "recall": 0.5}))
    login(problem.competition.roles[0].user)
    url = f"/c/{problem.competition.slug}/p/{problem.slug}/leaderboard.csv"
    lines = client.get(url).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "rank,team,division,score,latency,recall,entries,submitted_at,score_display"
    assert lines[1].startswith("1,Detectors,")
    assert ",0.8,40,0.5,1," in lines[1]


def test_a_hidden_column_seen_by_the_organizer_stays_hidden_from_others(make, problem, client):
    problem.score_columns = [*COLUMNS[:2], {**COLUMNS[2], "hidden": True}]
    db.session.commit()
    user = leader(make, problem, "Solo")
    scored(problem, user, 0.8, 0.8, details=both({"map": 0.8, "latency": 40, "recall": 0.777}))
    api = f"/api/v1/problems/{problem.id}/leaderboard"
    staff = {"Authorization": f"Bearer {make.token(make.user(admin=True))}"}
    assert client.get(api, headers=staff).get_json()["rows"][0]["details"]["recall"] == 0.777
    anonymous = client.get(api).get_json()  # after the staff's board was kept
    assert anonymous["rows"][0]["details"] == {"map": 0.8, "latency": 40}
    assert [c["key"] for c in anonymous["columns"]] == ["map", "latency"]
