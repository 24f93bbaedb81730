"""Issue 13, item 11, from the attacker's side: renames that pass for the team next door.

Each of these was accepted as a rename of a team next to "KAIST Vision". Invisible
fillers are refused outright; the rest are compared by Unicode's confusables skeleton
(UTS #39), case and accents ignored, with a few Hangul and CJK look-alikes it lacks.
Combining marks on letters that need none once composed, and Hangul jamo left
uncomposed, are refused outright.
"""

from __future__ import annotations

import unicodedata

import pytest

from judge.core.extensions import db
from judge.teams.models import Team

FILLERS = ["KAIST Vision\u3164", "KAIST\u3164Vision", "KAIST Vision\uffa0", "KAIST Vision\u2800",
           "KAIST\u200bVision", "KAIST Vision\u115f"]  # fmt: skip
LOOK_ALIKES = ["KAIST Visi\u0585n", "KAIST \u13d9ision", "KAIST V\u026asion", "KAIST VlSlON",
               "kaist vision", "Теаm Аlphа",
               # letters Unicode's confusables data does not map: Hangul ㅣ and ㅇ, CJK 丨, ○
               "KA\u3163ST Vision", "KA\u4e28ST Vision", "KAIST Visi\u3147n", "KAIST Visi\u25cbn",
               "KAIST Visio\u0323n"]  # the dot below composes into "ọ"  # fmt: skip
#: A dotless i with a combining dot, and marks no Latin name needs once composed.
MARKED = ["KAIST V\u0131\u0307sion", "KAIST Vi\u0307sion", "KAIST Visi\u0358on",
          "딥러닝연구\u0323회"]  # fmt: skip
#: Conjoining jamo that compose into no syllable: Hangul ᅵ and ᄋ for Latin I and o, and an
#: archaic ᅙ + ᅬ for the last syllable of "딥러닝연구회".
LOOSE_JAMO = ["KA\u1175ST Vision", "KAIST Visi\u110bn", "딥러닝연구\u1159\u116c"]


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


@pytest.mark.parametrize("name", MARKED)
def test_combining_marks_on_letters_that_need_none_are_refused(rename, name):
    page = rename(name)
    assert page.status_code == 200
    assert "A team name cannot add combining marks" in page.text
    assert rename.current == "Next Door"


@pytest.mark.parametrize("name", LOOSE_JAMO)
def test_loose_hangul_jamo_are_refused(rename, name):
    page = rename(name)
    assert page.status_code == 200
    assert "A team name cannot contain Hangul jamo that form no syllable" in page.text
    assert rename.current == "Next Door"


@pytest.mark.parametrize("name", ["딥러닝연구회", "한글 팀", "KAIST Vision 2", "KAIST Visions",
                                  "KAIST 비전", "ㅋㅋ팀", "Équipe Café", "ทีมไทย", "टीम",
                                  "\u1112\u1161\u11ab\u1100\u1173\u11af 팀"])  # fmt: skip
def test_distinct_names_are_accepted(rename, name):
    assert rename(name).status_code == 302
    assert rename.current == unicodedata.normalize("NFC", name)  # as typed, composed


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
