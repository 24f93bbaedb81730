"""The organizer console: who may open it and what each of its forms does."""

from __future__ import annotations

import pytest

from judge.competitions import policy
from judge.competitions.models import CompetitionRole, Division, Role, SponsorMember
from tests.web.conftest import count


def console(cast) -> str:
    return f"/c/{cast.competition.slug}/manage"


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_organizers_and_admins_open_the_console(client, cast, as_role, role):
    as_role(role)
    page = client.get(console(cast)).text
    assert "Organizer console" in page
    assert "Pia Team" in page and "Rival Team" in page


@pytest.mark.parametrize(
    "role", ["outsider", "participant", "rival", "judge", "sponsor", "other_sponsor"]
)
def test_everyone_else_is_forbidden(client, cast, as_role, role):
    as_role(role)
    assert client.get(console(cast)).status_code == 403
    assert client.post(f"{console(cast)}/divisions", data={"division-name": "X"}).status_code == 403
    assert count(Division) == 2


def test_anonymous_is_sent_to_log_in(client, cast):
    assert "/login" in client.get(console(cast)).location


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_console_never_shows_invite_codes(client, cast, as_role, role):
    as_role(role)
    page = client.get(console(cast)).text
    assert cast.team.invite_code not in page
    assert cast.rival_team.invite_code not in page


def test_console_lists_member_counts(client, cast, as_role):
    as_role("organizer")
    assert "<td>1 / 5</td>" in client.get(console(cast)).text


def test_settings_are_saved(client, cast, as_role):
    as_role("organizer")
    data = {"settings-title": "Renamed", "settings-timezone": "UTC", "settings-max_team_size": "3"}
    response = client.post(f"{console(cast)}/settings", data=data)
    assert response.status_code == 302
    assert cast.competition.title == "Renamed"
    assert cast.competition.max_team_size == 3


def test_settings_refuse_end_before_start(client, cast, as_role):
    as_role("organizer")
    data = {
        "settings-title": "Renamed",
        "settings-timezone": "Asia/Seoul",
        "settings-max_team_size": "3",
        "settings-registration_opens_at": "2026-05-01T10:00",
        "settings-registration_closes_at": "2026-04-01T10:00",
    }
    page = client.post(f"{console(cast)}/settings", data=data).text
    assert "The end must come after the start." in page
    assert cast.competition.title != "Renamed"


def test_settings_form_shows_dates_in_local_time(client, make, login):
    organizer = make.user()
    make.competition(organizer, slug="dated", timezone="Asia/Seoul")
    login(organizer)
    data = {
        "settings-title": "Dated",
        "settings-timezone": "Asia/Seoul",
        "settings-max_team_size": "5",
        "settings-results_at": "2026-06-30T15:00",
    }
    client.post("/c/dated/manage/settings", data=data)
    assert 'value="2026-06-30T15:00"' in client.get("/c/dated/manage").text


def test_division_is_added_and_duplicates_refused(client, cast, as_role):
    as_role("organizer")
    url = f"{console(cast)}/divisions"
    assert client.post(url, data={"division-name": "일반"}).status_code == 302
    page = client.post(url, data={"division-name": "일반"}).text
    assert "already has a division with that name" in page
    assert count(Division) == 3


def test_sponsor_and_sponsor_member_are_added(client, cast, as_role, make):
    as_role("organizer")
    newcomer = make.user(email="newcomer@example.com")
    client.post(f"{console(cast)}/sponsors", data={"sponsor-name": "Third Co"})
    sponsor = cast.competition.sponsors[-1]
    data = {"member-sponsor_id": str(sponsor.id), "member-email": "newcomer@example.com"}
    assert client.post(f"{console(cast)}/sponsor-members", data=data).status_code == 302
    assert policy.is_sponsor_member(newcomer, sponsor)


def test_an_address_without_an_account_is_invited_not_added(client, cast, as_role):
    as_role("organizer")
    before = count(SponsorMember)
    data = {"member-sponsor_id": str(cast.competition.sponsors[0].id),
            "member-email": "x@example.org"}  # fmt: skip
    page = client.post(f"{console(cast)}/sponsor-members", data=data, follow_redirects=True).text
    assert "An invitation is mailed to x@example.org" in page
    assert "No user is registered" not in page
    assert count(SponsorMember) == before


def test_a_malformed_address_is_refused(client, cast, as_role):
    as_role("organizer")
    data = {"member-sponsor_id": str(cast.competition.sponsors[0].id), "member-email": "x@y"}
    page = client.post(f"{console(cast)}/sponsor-members", data=data).text
    assert "This is not a valid email address." in page


def test_judge_is_assigned_by_email_and_removed(client, cast, as_role, make):
    as_role("organizer")
    person = make.user(email="judge2@example.com")
    data = {"role-email": "judge2@example.com", "role-role": "judge"}
    assert client.post(f"{console(cast)}/roles", data=data).status_code == 302
    assert policy.is_judge(person, cast.competition)
    assignment = CompetitionRole.query.filter_by(user_id=person.id).one()
    client.post(f"{console(cast)}/roles/{assignment.id}/remove")
    assert not policy.is_judge(person, cast.competition)


def test_organizer_is_assigned(client, cast, as_role):
    as_role("admin")
    data = {"role-email": cast["outsider"].email, "role-role": "organizer"}
    client.post(f"{console(cast)}/roles", data=data)
    assert policy.has_role(cast["outsider"], cast.competition, Role.ORGANIZER)


def test_assigning_twice_shows_a_message(client, cast, as_role):
    as_role("organizer")
    data = {"role-email": cast["judge"].email, "role-role": "judge"}
    assert "already has this role" in client.post(f"{console(cast)}/roles", data=data).text


def test_role_of_another_competition_cannot_be_removed(client, cast, as_role, make):
    other = make.competition(slug="elsewhere")
    foreign = CompetitionRole.query.filter_by(competition_id=other.id).first()
    as_role("organizer")
    before = count(CompetitionRole)
    response = client.post(f"{console(cast)}/roles/{foreign.id}/remove", follow_redirects=True)
    assert "No such role assignment." in response.text
    assert count(CompetitionRole) == before
