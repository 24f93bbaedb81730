"""Issue 13, item 11, from the attacker's side: renames that pass for the team next door.

Each of these was accepted as a rename of a team next to "KAIST Vision". Invisible
fillers are refused outright; the rest are compared by Unicode's confusables skeleton
(UTS #39), case ignored.
"""

from __future__ import annotations

import pytest

from judge.core.extensions import db
from judge.teams.models import Team

FILLERS = ["KAIST Vision\u3164", "KAIST\u3164Vision", "KAIST Vision\uffa0", "KAIST Vision\u2800",
           "KAIST\u200bVision", "KAIST Vision\u115f"]  # fmt: skip
LOOK_ALIKES = ["KAIST Visi\u0585n", "KAIST \u13d9ision", "KAIST V\u026asion", "KAIST VlSlON",
               "kaist vision", "Теаm Аlphа"]  # fmt: skip


class Renamer:
    """The leader of "Next Door" renaming it through the team page's form."""

    def __init__(self, client, competition, team) -> None:
        self.client, self.competition, self.team = client, competition, team

    def __call__(self, name: str):
        url = f"/c/{self.competition.slug}/team/rename"
        return self.client.post(url, data={"name": name})

    @property
    def current(self) -> str:
        return db.session.get(Team, self.team.id).name


@pytest.fixture
def rename(client, login, make):
    competition = make.competition()
    make.team(competition, name="KAIST Vision")
    make.team(competition, name="Team Alpha")
    leader = make.user()
    team = make.team(competition, leader, name="Next Door")
    login(leader)
    return Renamer(client, competition, team)


@pytest.mark.parametrize("name", FILLERS)
def test_invisible_fillers_are_refused(rename, name):
    page = rename(name)
    assert page.status_code == 200
    assert "A team name cannot contain invisible" in page.text
    assert rename.current == "Next Door"


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_look_alikes_of_a_neighbour_are_refused(rename, name):
    page = rename(name)
    assert page.status_code == 200
    assert "looks the same as the team" in page.text or "already uses this name" in page.text
    assert rename.current == "Next Door"


@pytest.mark.parametrize("name", ["딥러닝연구회", "한글 팀", "KAIST Vision 2", "KAIST Visions",
                                  "Ｓｅｏｕｌ Ｌａｂ"])  # fmt: skip
def test_distinct_names_are_accepted(rename, name):
    assert rename(name).status_code == 302
    assert rename.current != "Next Door"


def test_two_different_korean_names_are_not_confusable(client, make):
    competition = make.competition()
    make.team(competition, name="딥러닝연구회")
    for name in ("딥러닝연구소", "딥러닝 연구회 2", "한글 팀", "한글팀 2"):
        leader = make.user()
        make.accept_rules(competition, leader)
        token = make.token(leader)
        body = {"name": name, "division_id": competition.divisions[0].id}
        response = client.post(f"/api/v1/competitions/{competition.slug}/teams", json=body,
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert response.status_code == 201, (name, response.json)


def test_full_width_name_is_stored_normalised(rename):
    rename("Ｓｅｏｕｌ Ｌａｂ")
    assert rename.current == "Seoul Lab"
