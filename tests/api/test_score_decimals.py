"""A problem's score_decimals: set on creation or by PATCH (0–10), answered with the problem."""

from __future__ import annotations

import pytest

from judge.core.db import unit_of_work
from judge.core.errors import Invalid
from judge.problems import services as problems
from tests.api.test_problems import create


@pytest.fixture
def setup(make):
    organizer = make.user()
    return organizer, make.competition(organizer)


def test_a_new_problem_shows_five_decimals_unless_told(api, setup):
    organizer, competition = setup
    assert create(api, organizer, competition).json["score_decimals"] == 5
    other = create(api, organizer, competition, slug="other", score_decimals="2")
    assert other.status_code == 201, other.json
    assert other.json["score_decimals"] == 2


def test_more_than_ten_decimals_are_refused_by_name(api, setup):
    organizer, competition = setup
    problem = create(api, organizer, competition).json
    path = f"/problems/{problem['id']}"
    assert api.patch(path, as_=organizer, json={"score_decimals": 3}).json["score_decimals"] == 3
    refused = api.patch(path, as_=organizer, json={"score_decimals": 11})
    assert refused.status_code == 422, refused.json
    assert "score_decimals" in str(refused.json["error"]["fields"])
    assert "10" in str(refused.json["error"]["fields"]["score_decimals"])
    assert api.get(path, as_=organizer).json["score_decimals"] == 3


def test_the_service_refuses_a_precision_out_of_range(make):
    problem = make.problem(make.competition())
    with pytest.raises(Invalid, match="0 to 10 decimals"), unit_of_work():
        problems.update_settings(problem, score_decimals=12)
