"""Deleting an account on request: personal data goes, competition records stay under a
neutral name in the reader's language; refused while others depend on the account."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification, NotificationPreference
from judge.submissions.models import Submission
from judge.teams import services as teams
from judge.teams.models import Membership
from tests.conftest import PASSWORD
from tests.web.test_submission_pages import scored

KOREAN = {"Accept-Language": "ko"}


def delete(client, password=PASSWORD, confirm=True, headers=None):
    data = {"password": password, **({"confirm": "y"} if confirm else {})}
    return client.post("/account/delete", data=data, headers=headers or {})


def test_the_page_explains_what_goes_and_what_stays(client, cast, as_role):
    as_role("participant")
    page = client.get("/account/delete").text
    assert "cannot be undone" in page and "Your submissions and their scores" in page
    assert "Your email address and affiliation" in page
    korean = client.get("/account/delete", headers=KOREAN).text
    assert "되돌릴 수 없습니다" in korean


def test_deleting_removes_personal_data_and_keeps_the_records(client, cast, as_role, make):
    user = as_role("participant")
    address, user_id = user.email, user.id
    submission = scored(cast.problem, user, 0.5, 0.6)
    token = make.token(user)
    with unit_of_work():
        notifications.notify([user], Kind.NOTICE, cast.competition, "notice:1", utcnow(),
                             link="/", params={"title": "Hello"})  # fmt: skip
        notifications.set_email_choices(user, set())
    answer = delete(client)
    assert answer.status_code == 302
    assert client.get("/account").status_code == 302  # logged out
    db.session.expire_all()
    assert user.deleted and user.given_name == f"Deleted user #{user_id}"
    assert user.email.endswith("@deleted.invalid") and user.affiliation == ""
    assert not check_password_hash(user.password_hash, PASSWORD)
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    for model in (Notification, NotificationPreference):
        left = sa.select(sa.func.count(model.id)).where(model.user_id == user_id)
        assert db.session.scalar(left) == 0
    assert db.session.get(Submission, submission.id).status is not None  # kept
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account_deleted"))
    assert client.post("/login", data={"email": address, "password": PASSWORD}).status_code == 200
    # The address is free: it signs up again as a new account.
    make.user(address)


def test_the_leaderboard_keeps_the_team_and_shows_the_neutral_name(client, cast, as_role):
    user = as_role("participant")
    scored(cast.problem, user, 0.5, 0.6)
    delete(client)
    board = client.get(f"/c/{cast.competition.slug}/p/{cast.problem.slug}/leaderboard").text
    assert "Pia Team" in board and "0.5" in board
    for headers, neutral in (({}, "Deleted user #"), (KOREAN, "탈퇴한 사용자 #")):
        team_page = client.get(f"/teams/{cast.team.id}", headers=headers).text
        assert f"{neutral}{user.id}" in team_page and "Pia Participant" not in team_page


def test_pending_mail_is_dropped(client, cast, as_role):
    user = as_role("participant")
    client.post("/password/forgot", data={"email": user.email})
    assert db.session.scalar(sa.select(OutgoingMail.id).where(OutgoingMail.user_id == user.id))
    delete(client)
    mine = sa.select(sa.func.count(OutgoingMail.id)).where(OutgoingMail.user_id == user.id)
    assert db.session.scalar(mine) == 0


def test_a_wrong_password_or_no_confirmation_deletes_nothing(client, cast, as_role):
    user = as_role("participant")
    for headers, message in (({}, "The password is incorrect."), (KOREAN, "비밀번호가 틀립니다")):
        answer = delete(client, password="wrong", headers=headers)
        assert answer.status_code == 200 and message in answer.text
    answer = delete(client, confirm=False)
    assert "Please confirm that you want to delete the account for good." in answer.text
    db.session.refresh(user)
    assert not user.deleted and client.get("/account").status_code == 200


def test_the_sole_leader_of_a_team_with_members_is_refused(client, cast, as_role, make):
    user = as_role("participant")
    member = make.user()
    make.accept_rules(cast.competition, member)
    with unit_of_work():
        teams.join_team(cast.competition, cast.team.invite_code, member, utcnow())
    page = client.get("/account/delete").text
    assert "You lead the team Pia Team" in page
    assert "You lead the team" in delete(client).text
    db.session.refresh(user)
    assert not user.deleted


def test_the_only_administrator_is_refused(client, make, login):
    admin = make.user(admin=True)
    login(admin)
    for headers, message in (
        ({}, "You are the only site administrator."),
        (KOREAN, "유일한 사이트 관리자"),
    ):
        assert message in client.get("/account/delete", headers=headers).text
    assert "only site administrator" in delete(client).text
    make.user(admin=True)
    assert delete(client).status_code == 302
