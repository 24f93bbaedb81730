"""Creating, joining, leaving and renaming teams, and who sees a team's page."""

from __future__ import annotations

import pytest

from judge.competitions import services as competitions
from judge.core.db import unit_of_work
from judge.teams.models import Membership, Team
from tests.factories import hours, now
from tests.web.conftest import count


def team_url(cast, action: str = "") -> str:
    return f"/c/{cast.competition.slug}/team" + (f"/{action}" if action else "")


def past_deadline(competition) -> None:
    with unit_of_work():
        competitions.update_competition(competition, team_change_deadline=now() - hours(1))


def test_outsider_creates_a_team_after_accepting_rules(client, cast, as_role, make):
    as_role("outsider")
    make.accept_rules(cast.competition, cast["outsider"])
    division = cast.competition.divisions[1]
    data = {"name": "New Team", "division_id": str(division.id)}
    response = client.post(team_url(cast, "create"), data=data)
    team = Team.query.filter_by(name="New Team").one()
    assert response.location.endswith(f"/teams/{team.id}")
    assert team.division_id == division.id and team.leader_id == cast["outsider"].id


def test_creating_without_accepting_rules_is_refused(client, cast, as_role):
    as_role("outsider")
    data = {"name": "New Team", "division_id": str(cast.competition.divisions[0].id)}
    page = client.post(team_url(cast, "create"), data=data).text
    assert "Please accept the competition rules first." in page
    assert count(Team) == 2


@pytest.mark.parametrize("role", ["judge", "sponsor", "organizer"])
def test_staff_cannot_create_a_team(client, cast, as_role, make, role):
    make.accept_rules(cast.competition, as_role(role))
    data = {"name": "Staff Team", "division_id": str(cast.competition.divisions[0].id)}
    page = client.post(team_url(cast, "create"), data=data).text
    assert "cannot enter a competition they run" in page
    assert count(Team) == 2


def test_duplicate_team_name_is_shown_on_the_field(client, cast, as_role, make):
    make.accept_rules(cast.competition, as_role("outsider"))
    data = {"name": "rival team", "division_id": str(cast.competition.divisions[0].id)}
    page = client.post(team_url(cast, "create"), data=data).text
    assert "Another team already uses this name." in page
    assert count(Team) == 2


def test_division_of_another_competition_is_refused(client, cast, as_role, make):
    other = make.competition()
    make.accept_rules(cast.competition, as_role("outsider"))
    data = {"name": "Sneaky", "division_id": str(other.divisions[0].id)}
    page = client.post(team_url(cast, "create"), data=data).text
    assert 'class="field has-error"' in page  # the division select shows WTForms' own message
    assert count(Team) == 2


def test_join_by_invite_code(client, cast, as_role, make):
    make.accept_rules(cast.competition, as_role("outsider"))
    response = client.post(team_url(cast, "join"), data={"code": cast.team.invite_code})
    assert response.location.endswith(f"/teams/{cast.team.id}")
    assert cast.team.member_count == 2


def test_wrong_invite_code_is_shown_on_the_field(client, cast, as_role, make):
    make.accept_rules(cast.competition, as_role("outsider"))
    page = client.post(team_url(cast, "join"), data={"code": "not-a-code"}).text
    assert "No team in this competition has that invite code." in page


def test_joining_a_full_team_is_refused(client, make, login):
    competition = make.competition(max_team_size=1)
    team = make.team(competition)
    joiner = make.user()
    make.accept_rules(competition, joiner)
    login(joiner)
    page = client.post(f"/c/{competition.slug}/team/join", data={"code": team.invite_code}).text
    assert "This team is full (at most 1 members)." in page
    assert count(Membership) == 1


def test_joining_a_second_team_is_refused(client, cast, as_role):
    as_role("participant")
    page = client.post(team_url(cast, "join"), data={"code": cast.rival_team.invite_code}).text
    assert "You are already in a team in this competition." in page
    assert cast.rival_team.member_count == 1


def test_joining_after_the_team_change_deadline_is_refused(client, cast, as_role, make):
    make.accept_rules(cast.competition, as_role("outsider"))
    past_deadline(cast.competition)
    page = client.post(team_url(cast, "join"), data={"code": cast.team.invite_code}).text
    assert "team-change deadline has passed" in page
    assert cast.team.member_count == 1


def test_leaving_after_the_deadline_is_refused(client, cast, as_role):
    as_role("participant")
    past_deadline(cast.competition)
    response = client.post(team_url(cast, "leave"), follow_redirects=True)
    assert "team-change deadline has passed" in response.text
    assert count(Team) == 2


def test_last_member_leaving_disbands_the_team(client, cast, as_role):
    as_role("rival")
    response = client.post(team_url(cast, "leave"))
    assert response.location.endswith(f"/c/{cast.competition.slug}")
    assert Team.query.filter_by(name="Rival Team").one().disbanded_at is not None
    assert client.get(f"/teams/{cast.rival_team.id}").status_code == 404


def test_leaving_without_a_team_is_404(client, cast, as_role):
    as_role("outsider")
    assert client.post(team_url(cast, "leave")).status_code == 404


def test_leader_renames_the_team(client, cast, as_role):
    as_role("participant")
    client.post(team_url(cast, "rename"), data={"name": "Pia Renamed"})
    assert cast.team.name == "Pia Renamed"


def test_rename_to_a_taken_name_shows_a_message(client, cast, as_role):
    as_role("participant")
    page = client.post(team_url(cast, "rename"), data={"name": "Rival Team"}).text
    assert "Another team already uses this name." in page
    assert cast.team.name == "Pia Team"


def test_members_who_do_not_lead_cannot_rename_or_regenerate(client, cast, login, make):
    member = make.user()
    team = make.team(cast.competition, members=[member])
    login(member)
    assert client.post(team_url(cast, "rename"), data={"name": "Mine"}).status_code == 403
    assert client.post(team_url(cast, "invite-code")).status_code == 403
    assert team.name != "Mine"


def test_leader_regenerates_the_invite_code(client, cast, as_role):
    as_role("participant")
    old = cast.team.invite_code
    client.post(team_url(cast, "invite-code"))
    page = client.get(f"/teams/{cast.team.id}").text
    assert old not in page
    assert cast.team.invite_code in page


def test_my_team_redirects_members_to_their_team_page(client, cast, as_role):
    as_role("participant")
    assert client.get(team_url(cast)).location.endswith(f"/teams/{cast.team.id}")


def test_my_team_offers_forms_to_people_without_a_team(client, cast, as_role, make):
    make.accept_rules(cast.competition, as_role("outsider"))
    page = client.get(team_url(cast)).text
    assert "Create team" in page and "Join team" in page


def test_member_sees_the_team_page_with_invite_code(client, cast, as_role):
    as_role("participant")
    page = client.get(f"/teams/{cast.team.id}").text
    assert "Pia Participant" in page
    assert cast.team.invite_code in page


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_organizers_see_the_team_page_without_invite_code(client, cast, as_role, role):
    as_role(role)
    page = client.get(f"/teams/{cast.team.id}").text
    assert "Pia Participant" in page
    assert cast.team.invite_code not in page


@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "rival", "judge", "sponsor", "other_sponsor"]
)
def test_others_see_the_team_page_without_invite_code(client, cast, as_role, role):
    as_role(role)
    response = client.get(f"/teams/{cast.team.id}")
    assert response.status_code == 200
    assert "Pia Participant" in response.text
    assert cast.team.invite_code not in response.text
    assert "Leave team" not in response.text and "Rename" not in response.text
