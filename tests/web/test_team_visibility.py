"""Issue 13, item 12: the API and the web showed different things of a team's members.

One rule now, in judge.teams.services.member_view: anyone sees a team's name and its
members' display names; never an email, and user ids and affiliations only to the team
itself and the competition's organizers; the invite code only to the team.
"""

from __future__ import annotations

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.teams import services as teams
from tests.api.conftest import ApiClient
from tests.submissions.helpers import scored

EMAIL = "mina.secret@example.com"
AFFILIATION = "Secret Lab"
PUBLIC = ["anonymous", "outsider", "rival", "judge", "sponsor"]


@pytest.fixture
def team(cast, make):
    mate = make.user(EMAIL, name="Mina Mate", affiliation=AFFILIATION)
    make.accept_rules(cast.competition, mate)
    with unit_of_work():
        teams.join_team(cast.competition, cast.team.invite_code, mate, utcnow())
    return cast.team, mate


@pytest.fixture
def api(client, make):
    return ApiClient(client, make)


@pytest.mark.parametrize("role", PUBLIC)
def test_the_public_sees_names_only(api, client, as_role, team, role):
    team, mate = team
    user = as_role(role)
    members = api.get(f"/teams/{team.id}/members", as_=user)
    assert members.status_code == 200
    assert members.json == [{"name": "Pia Participant", "leader": True},
                            {"name": "Mina Mate", "leader": False}]  # fmt: skip
    shown = api.get(f"/teams/{team.id}", as_=user).json
    assert {m["name"] for m in shown["members"]} == {"Pia Participant", "Mina Mate"}
    assert "leader" not in shown
    assert all(set(m) == {"name", "leader"} for m in shown["members"])
    listed = api.get(f"/competitions/{team.competition.slug}/teams", as_=user).text
    page = client.get(f"/teams/{team.id}")
    assert page.status_code == 200 and "Mina Mate" in page.text
    for text in (members.text, str(shown), listed, page.text):
        assert EMAIL not in text and AFFILIATION not in text and team.invite_code not in text
    assert f'"id": {mate.id}' not in members.text and f'"id":{mate.id}' not in members.text


@pytest.mark.parametrize("role", ["participant", "organizer", "admin"])
def test_the_team_and_its_organizers_see_ids_and_affiliations(api, client, as_role, team, role):
    team, mate = team
    user = as_role(role)
    members = api.get(f"/teams/{team.id}/members", as_=user).json
    assert {"id": mate.id, "name": "Mina Mate", "affiliation": AFFILIATION,
            "leader": False} in members  # fmt: skip
    page = client.get(f"/teams/{team.id}").text
    assert AFFILIATION in page and EMAIL not in page
    assert (team.invite_code in page) == (role == "participant")


def test_leaderboard_links_to_the_public_team_page(client, cast):
    scored(cast.problem, cast["participant"], 0.5, 0.5)
    page = client.get(f"/c/{cast.competition.slug}/p/{cast.problem.slug}/leaderboard").text
    assert f'href="/teams/{cast.team.id}"' in page
