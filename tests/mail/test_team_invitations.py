"""Team invitations by link and by mail: the mail reaches a real SMTP server in the reader's
language (the site's default for an address without an account), the link leads through
sign-up or login back to the acceptance page, and accepting obeys every rule of joining."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from judge.accounts import services as accounts
from judge.audit import log as audit
from judge.competitions import services as competitions
from judge.core.db import unit_of_work
from judge.core.errors import Conflict, Forbidden, Gone
from judge.core.extensions import db
from judge.teams import invitations
from judge.teams import services as teams
from judge.teams.models import TeamInvitation
from tests.conftest import PASSWORD
from tests.mail.test_password_reset import deliver, speaking
from tests.support.smtp import parts

LINK = re.compile(r"http://\S+/invitations/team/[\w-]+")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def squad(make):
    """A competition whose teams hold two people, and Lee's team in it."""
    competition = make.competition(max_team_size=2)
    leader = make.user(name="Lee Leader", email="lee@example.com")
    team = make.team(competition, leader, name="Lee Team")
    return competition, leader, team


def path_of(text: str) -> str:
    return urlsplit(LINK.search(text).group(0)).path


def invite(client, login, squad, email: str):
    competition, leader, _team = squad
    login(leader)
    answer = client.post(f"/c/{competition.slug}/team/invitations/email", data={"email": email})
    assert answer.status_code == 302, answer.text
    client.post("/logout")


def test_mail_arrives_in_each_readers_language_and_the_default_for_strangers(
    app, client, login, make, inbox, squad
):
    korean, english = speaking(make, "ko"), speaking(make, "en")
    app.config["BABEL_DEFAULT_LOCALE"] = "ko"  # the site's language, for unknown addresses
    for email in (korean.email, english.email, "stranger@example.org"):
        invite(client, login, squad, email)
    deliver()
    received = {m["To"]: m for m in inbox.messages}
    assert received[korean.email]["Subject"] == "팀 초대가 도착했습니다"
    assert received["stranger@example.org"]["Subject"] == "팀 초대가 도착했습니다"
    ko_text, ko_html = parts(received[korean.email])
    assert "Lee Leader님이" in ko_text and "팀 Lee Team에 초대했습니다" in ko_html
    assert "링크는 7일 안에 한 번만" in ko_text
    en_text, en_html = parts(received[english.email])
    assert received[english.email]["Subject"] == "You are invited to join a team"
    assert "Lee Leader invites you to the team Lee Team" in en_text
    assert LINK.search(en_text).group(0) in en_html


def test_a_stranger_signs_up_through_the_link_and_joins_once(client, login, inbox, squad):
    competition, _leader, team = squad
    invite(client, login, squad, "newbie@example.org")
    deliver()
    path = path_of(parts(inbox.messages[0])[0])
    page = client.get(path)
    assert page.status_code == 200 and "Lee Team" in page.text
    assert f"/register?next={path}" in page.text.replace("%2F", "/")
    signup = {"email": "newbie@example.org", "name": "New Bie", "password": PASSWORD,
              "confirm": PASSWORD, "agree_privacy": "y"}  # fmt: skip
    answer = client.post(f"/register?next={path}", data=signup)
    assert answer.status_code == 302 and "next=" in answer.location
    answer = client.post(answer.location, data={"email": "newbie@example.org",
                                                "password": PASSWORD})  # fmt: skip
    assert urlsplit(answer.location).path == path
    client.post(f"/c/{competition.slug}/rules/accept", data={"next": path})
    joined = client.post(path, follow_redirects=True)
    assert "You joined Lee Team." in joined.text
    newbie = accounts.user_by_email("newbie@example.org")
    assert teams.team_of(newbie, competition).id == team.id
    assert [e.action for e in audit.entries(competition.id, "team_invitation_accepted")]
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation was already used." in again.text


def test_a_link_serves_several_people_until_the_team_is_full(client, login, make, squad):
    competition, leader, _team = squad
    login(leader)
    page = client.post(f"/c/{competition.slug}/team/invitations/link")
    assert "shown only this once" in page.text
    path = path_of(page.text)
    stored = db.session.scalars(sa.select(TeamInvitation.token_hash)).all()
    assert path.rsplit("/", 1)[1] not in stored  # only a hash is kept
    first, second = make.user(), make.user()
    for user in (first, second):
        make.accept_rules(competition, user)
    client.post("/logout")
    login(first)
    assert "You joined Lee Team." in client.post(path, follow_redirects=True).text
    client.post("/logout")
    login(second)
    refused = client.post(path, follow_redirects=True).text
    assert "This team is full (at most 2 members)." in refused
    assert teams.team_of(second, competition) is None


def test_revoked_and_expired_links_give_a_clear_page(client, login, make, squad):
    competition, leader, team = squad
    login(leader)
    path = path_of(client.post(f"/c/{competition.slug}/team/invitations/link").text)
    shown = client.get(f"/teams/{team.id}").text
    assert "Link (used 0 times)" in shown
    invitation = db.session.scalars(sa.select(TeamInvitation)).one()
    client.post(f"/c/{competition.slug}/team/invitations/{invitation.id}/revoke")
    gone = client.get(path)
    assert gone.status_code == 410 and "The team leader withdrew this invitation." in gone.text
    assert client.get("/invitations/team/forged").status_code == 404
    with unit_of_work():
        link = invitations.create_link(team, leader, NOW)
    token = link.rsplit("/", 1)[1]
    assert invitations.find(token, NOW + timedelta(days=6, hours=23)).team_id == team.id
    with pytest.raises(Gone, match=r"This invitation has expired\."):
        invitations.find(token, NOW + timedelta(days=7))


def test_accepting_obeys_the_team_change_deadline_and_one_team(make, squad):
    competition, leader, team = squad
    with unit_of_work():
        link = invitations.create_link(team, leader, NOW)
    token = link.rsplit("/", 1)[1]
    rival = make.user()
    make.team(competition, rival, name="Rival Team")
    with pytest.raises(Conflict, match="already in a team"), unit_of_work():
        invitations.accept(token, rival, NOW)
    late = make.user()
    make.accept_rules(competition, late)
    with unit_of_work():
        competitions.update_competition(competition, team_change_deadline=NOW)
    with pytest.raises(Forbidden, match="team-change deadline has passed"), unit_of_work():
        invitations.accept(token, late, NOW + timedelta(hours=1))
    assert teams.team_of(late, competition) is None
    with pytest.raises(Forbidden, match="team-change deadline"), unit_of_work():
        invitations.create_link(team, leader, NOW + timedelta(hours=1))


def test_only_the_leader_invites(client, login, make, squad):
    competition, _leader, team = squad
    mate = make.user()
    with unit_of_work():
        link = invitations.create_link(team, team.leader, NOW)
    make.accept_rules(competition, mate)
    with unit_of_work():
        invitations.accept(link.rsplit("/", 1)[1], mate, NOW)
    login(mate)
    answer = client.post(f"/c/{competition.slug}/team/invitations/email",
                         data={"email": "x@example.org"})  # fmt: skip
    assert answer.status_code == 403
    assert "Invitations" not in client.get(f"/teams/{team.id}").text


def test_a_malformed_address_is_refused_on_the_team_page(client, login, squad):
    competition, leader, team = squad
    login(leader)
    page = client.post(f"/c/{competition.slug}/team/invitations/email", data={"email": "x@y"})
    assert page.status_code == 200
    assert "This is not a valid email address." in page.text and team.name in page.text
    assert db.session.scalars(sa.select(TeamInvitation)).all() == []
