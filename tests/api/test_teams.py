from datetime import timedelta

import pytest

from judge.competitions import services as competitions
from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.teams.models import Membership, Team
from tests.api.conftest import error_code


@pytest.fixture
def competition(make):
    return make.competition(max_team_size=2)


def accept(api, competition, user):
    api.post(f"/competitions/{competition.slug}/rules/accept", as_=user)


def create_team(api, competition, user, name="딥러닝연구회", division=0):
    accept(api, competition, user)
    body = {"name": name, "division_id": competition.divisions[division].id}
    return api.post(f"/competitions/{competition.slug}/teams", as_=user, json=body)


def join(api, competition, user, code):
    accept(api, competition, user)
    return api.post(f"/competitions/{competition.slug}/teams/join", as_=user, json={"code": code})


def test_create_and_join_a_team(api, make, competition):
    leader, friend = make.user(), make.user()
    created = create_team(api, competition, leader)
    assert created.status_code == 201
    assert created.json["leader"]["id"] == leader.id
    joined = join(api, competition, friend, created.json["invite_code"])
    assert joined.status_code == 200
    assert {m["id"] for m in joined.json["members"]} == {leader.id, friend.id}


def test_invite_code_is_only_shown_to_members(api, make, competition):
    leader, stranger, organizer = make.user(), make.user(), make.user()
    make.role(competition, organizer, Role.ORGANIZER)
    team = create_team(api, competition, leader).json
    code = team["invite_code"]
    for user in (None, stranger, organizer):
        assert code not in api.get(f"/teams/{team['id']}", as_=user).text
        assert code not in api.get(f"/competitions/{competition.slug}/teams", as_=user).text
    assert api.get(f"/teams/{team['id']}", as_=leader).json["invite_code"] == code


def test_team_needs_accepted_rules(api, make, competition):
    user = make.user()
    body = {"name": "Team", "division_id": competition.divisions[0].id}
    response = api.post(f"/competitions/{competition.slug}/teams", as_=user, json=body)
    assert response.status_code == 403
    assert "rules" in response.json["error"]["message"]


def test_full_team_refuses_another_member(api, make, competition):
    leader, second, third = make.user(), make.user(), make.user()
    code = create_team(api, competition, leader).json["invite_code"]
    assert join(api, competition, second, code).status_code == 200
    full = join(api, competition, third, code)
    assert (full.status_code, error_code(full)) == (409, "conflict")
    assert "full" in full.json["error"]["message"]
    assert db.session.query(Membership).count() == 2


def test_one_team_per_person(api, make, competition):
    user, other = make.user(), make.user()
    create_team(api, competition, user, "First")
    code = create_team(api, competition, other, "Second").json["invite_code"]
    assert create_team(api, competition, user, "Third").status_code == 409
    assert join(api, competition, user, code).status_code == 409


def test_duplicate_team_name_conflicts_case_insensitively(api, make, competition):
    create_team(api, competition, make.user(), "KAIST Vision")
    response = create_team(api, competition, make.user(), "kaist  vision")
    assert response.status_code == 409
    assert response.json["error"]["field"] == "name"


def test_wrong_code_is_404(api, make, competition):
    response = join(api, competition, make.user(), "not-a-code")
    assert (response.status_code, response.json["error"]["field"]) == (404, "code")


def test_code_of_another_competition_does_not_work(api, make, competition):
    other = make.competition()
    code = create_team(api, other, make.user()).json["invite_code"]
    assert join(api, competition, make.user(), code).status_code == 404


def test_division_of_another_competition_is_404(api, make, competition):
    other = make.competition()
    user = make.user()
    accept(api, competition, user)
    body = {"name": "Team", "division_id": other.divisions[0].id}
    response = api.post(f"/competitions/{competition.slug}/teams", as_=user, json=body)
    assert response.status_code == 404


def test_no_team_changes_after_the_deadline(api, make, competition):
    leader, friend = make.user(), make.user()
    team = create_team(api, competition, leader).json
    with unit_of_work():
        competitions.update_competition(competition, team_change_deadline=utcnow())
    assert join(api, competition, friend, team["invite_code"]).status_code == 403
    leave = api.delete(f"/teams/{team['id']}/members/me", as_=leader)
    assert leave.status_code == 403
    assert "deadline" in leave.json["error"]["message"]
    assert create_team(api, competition, friend, "Late").status_code == 403


def test_registration_closed_refuses_new_teams(api, make, competition):
    with unit_of_work():
        competitions.update_competition(
            competition,
            registration_opens_at=utcnow() - timedelta(days=10),
            registration_closes_at=utcnow() - timedelta(days=1),
        )
    assert create_team(api, competition, make.user()).status_code == 403


def test_staff_cannot_enter(api, make, competition):
    judge = make.user()
    make.role(competition, judge, Role.JUDGE)
    response = create_team(api, competition, judge)
    assert response.status_code == 403


def test_leaving_passes_leadership_and_last_one_disbands(api, make, competition):
    leader, friend = make.user(), make.user()
    team = create_team(api, competition, leader).json
    join(api, competition, friend, team["invite_code"])
    assert api.delete(f"/teams/{team['id']}/members/me", as_=leader).status_code == 204
    assert api.get(f"/teams/{team['id']}", as_=friend).json["leader"]["id"] == friend.id
    assert api.get(f"/competitions/{competition.slug}/my-team", as_=leader).status_code == 404
    assert api.delete(f"/teams/{team['id']}/members/me", as_=friend).status_code == 204
    assert api.get(f"/teams/{team['id']}").status_code == 404
    assert db.session.get(Team, team["id"]).disbanded_at is not None  # marked, not deleted


def test_leaving_a_team_you_are_not_in_is_404(api, make, competition):
    team = create_team(api, competition, make.user()).json
    assert api.delete(f"/teams/{team['id']}/members/me", as_=make.user()).status_code == 404


def test_member_list_shows_names_not_emails(api, make, competition):
    leader = make.user("secret.mail@example.com", name="박지민")
    team = create_team(api, competition, leader).json
    response = api.get(f"/teams/{team['id']}/members")
    assert response.json == [{"name": "박지민", "leader": True}]
    assert "secret.mail" not in api.get(f"/competitions/{competition.slug}/teams").text
