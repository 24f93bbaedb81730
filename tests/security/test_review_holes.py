"""Holes an attacker's review of the people-and-messages work found: each test is the
attack, asserting what must hold (they failed before their fixes)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judge.accounts import deletion
from judge.accounts import services as accounts
from judge.competitions import policy
from judge.competitions import services as competitions
from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.mail import services as mail_services
from judge.mail.models import OutgoingMail
from judge.notices import services as notices
from tests.conftest import PASSWORD


def _mails(kind: str) -> list[OutgoingMail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.kind == kind)))


# 1. A team leader mails invitations under the site's name: only once verified, once per open
#    invitation to an address, and at most TEAM_INVITATIONS_PER_DAY a day.
def test_team_invitation_mail_needs_a_verified_leader_and_is_capped(app, client, login, make):
    competition = make.competition()
    leader = make.user(name="Prize Desk")
    make.team(competition, leader, name="Prize Team")
    with unit_of_work():
        leader.email_verified_at = None
    login(leader)
    url = f"/c/{competition.slug}/team/invitations/email"
    refused = client.post(url, data={"email": "victim@example.org"}, follow_redirects=True)
    assert "Please confirm your email address before inviting people by mail." in refused.text
    assert _mails("team_invitation") == []
    with unit_of_work():
        db.session.merge(leader).email_verified_at = utcnow()
    app.config["TEAM_INVITATIONS_PER_DAY"] = 3
    again = client.post(url, data={"email": "victim0@example.org"})
    again = client.post(url, data={"email": "victim0@example.org"}, follow_redirects=True)
    assert "victim0@example.org already has an invitation that is still open." in again.text
    for n in range(1, 10):
        client.post(url, data={"email": f"victim{n}@example.org"})
    assert len(_mails("team_invitation")) == 3


def test_sign_up_refuses_a_name_with_line_breaks(client):
    data = {"email": "desk@example.org", "name": "Prize Desk\n\nClaim: http://evil.example",
            "password": PASSWORD, "confirm": PASSWORD, "agree_privacy": "y"}  # fmt: skip
    answer = client.post("/register", data=data)
    assert "A name cannot contain control or invisible characters." in answer.text
    assert accounts.user_by_email("desk@example.org") is None


# 3. "Send a password reset link ... the administrator never sees it": with a mail server the
#    outbox withholds one-time links, and the stored copy loses them once sent.
def test_the_administrator_cannot_read_the_reset_link_they_sent(app, client, login, make):
    app.config["MAIL_SERVER"] = "127.0.0.1"  # nothing is sent here: the task does not run
    login(make.user(admin=True))
    victim = make.user(admin=True)
    client.post(f"/admin/users/{victim.id}/password-reset")
    [mail] = _mails("password_reset")
    assert "/password/reset/" in mail.body_text  # the recipient still gets it
    for page in (f"/admin/outbox/{mail.id}", f"/admin/outbox/{mail.id}/html"):
        assert "/password/reset/" not in client.get(page).text
    with unit_of_work():
        mail_services.mark_sent(db.session.merge(mail), utcnow())
    assert "/password/reset/" not in _mails("password_reset")[0].body_text


# 4. Sign-up refuses what the profile page refuses (bidi overrides, line breaks).
def test_sign_up_refuses_hidden_characters_in_the_name(client):
    data = {"email": "eve@example.org", "name": "Eve\u202egpj.exe", "password": PASSWORD,
            "confirm": PASSWORD, "agree_privacy": "y"}  # fmt: skip
    client.post("/register", data=data)
    assert accounts.user_by_email("eve@example.org") is None


# 5. A removed organizer's pending staff invitation still grants the role afterwards.
def test_a_staff_invitation_dies_with_its_inviters_role(client, login, make):
    owner = make.user(name="Owner")
    competition = make.competition(owner)
    rogue = make.user(name="Rogue")
    make.role(competition, rogue, Role.ORGANIZER)
    login(rogue)
    client.post(f"/c/{competition.slug}/manage/roles",
                data={"role-email": "alt@example.org", "role-role": "organizer"})  # fmt: skip
    client.post("/logout")
    with unit_of_work():
        role = next(r for r in competition.roles if r.user_id == rogue.id)
        competitions.remove_role(competition, role.id, owner)
    [mail] = _mails("staff_invitation")
    path = re.search(r"/invitations/staff/[\w-]+", mail.body_text).group(0)
    alt = make.user(email="alt@example.org")  # verified (an administrator-made account)
    login(alt)
    client.post(path)
    db.session.expire_all()
    assert not policy.is_organizer(alt, competition)


# 6. A deleted organizer keeps the role and keeps getting notifications and mail records.
def test_a_deleted_account_gets_no_more_notifications(make):
    organizer = make.user(name="Gone Organizer")
    competition = make.competition(organizer)
    with unit_of_work():
        deletion.delete_account(organizer, PASSWORD, True, utcnow())
    asker = make.user()
    with unit_of_work():
        notices.ask(competition, asker, utcnow(), title="When?", body="Dates?", problem=None,
                    per_day=10)  # fmt: skip
    assert not [m for m in _mails("notification") if m.user_id == organizer.id]


# 7. A notification's subject is its line: a 200-character question title in a competition
#    with a long title overflows outgoing_mail.subject (VARCHAR(300)); on PostgreSQL the
#    participant's ask() fails (500) and a notice fan-out task fails every retry.
def test_notification_subjects_fit_the_column(make):
    organizer = make.user()
    competition = make.competition(organizer, title="Long " * 30)
    with unit_of_work():
        notices.ask(competition, make.user(), utcnow(), title="Q" * 200, body="?",
                    problem=None, per_day=10)  # fmt: skip
    assert all(len(m.subject) <= 300 for m in _mails("notification"))
