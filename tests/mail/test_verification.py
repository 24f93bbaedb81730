"""Verifying the address at sign-up: the mail reaches a real SMTP server in the person's
language, its link works once and expires, the banner offers a new link (throttled),
and a team cannot submit (web, API) until the uploader's address is verified."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from judge.accounts import verification
from judge.accounts.models import User
from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from judge.submissions.models import Submission
from tests.conftest import PASSWORD
from tests.mail.test_password_reset import deliver
from tests.support.smtp import parts

LINK = re.compile(r"http://\S+/verify/\S+")
KO = {"Accept-Language": "ko"}
EN = {"Accept-Language": "en"}
BANNER = "Please confirm your email address"


def sign_up(client, email: str, headers=EN, **extra):
    data = {"email": email, "name": "Hana Kim", "password": PASSWORD, "confirm": PASSWORD,
            "agree_privacy": "y", **extra}  # fmt: skip
    return client.post("/register", data=data, headers=headers)


def account(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def link_path(message) -> str:
    text, _html = parts(message)
    return urlsplit(LINK.search(text).group(0)).path


def unverified(make) -> User:
    user = make.user()
    with unit_of_work():
        user.email_verified_at = None
    return user


def test_sign_up_sends_the_link_in_the_browsers_language(client, app, inbox):
    assert sign_up(app.test_client(), "hana@example.kr", headers=KO).status_code == 302
    assert sign_up(client, "hana@example.com").status_code == 302
    deliver()
    received = {m["To"]: m for m in inbox.messages}
    assert received["hana@example.kr"]["Subject"] == "이메일 주소를 확인해 주세요"
    ko_text, ko_html = parts(received["hana@example.kr"])
    assert "48시간 안에" in ko_text and "주소 확인하기" in ko_html
    assert received["hana@example.com"]["Subject"] == "Confirm your email address"
    en_text, en_html = parts(received["hana@example.com"])
    assert "within 48 hours" in en_text and LINK.search(en_text).group(0) in en_html
    assert not account("hana@example.com").email_verified


def test_the_link_verifies_once_and_the_banner_goes(client, inbox, login):
    sign_up(client, "hana@example.com")
    login(account("hana@example.com"))
    assert BANNER in client.get("/").text
    deliver()
    path = link_path(inbox.messages[0])
    answer = client.get(path, follow_redirects=True)
    assert "your email address is verified" in answer.text
    assert BANNER not in answer.text and BANNER not in client.get("/").text
    assert account("hana@example.com").email_verified
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "email_verified"))
    assert entry.subject == "hana@example.com" and entry.after == {"verified": True}
    again = client.get(path)
    assert again.status_code == 400
    assert "This link was already used: your address is verified." in again.text


def test_an_expired_or_forged_link_is_refused_with_a_message(app, client, inbox):
    sign_up(client, "hana@example.com")
    deliver()
    path = link_path(inbox.messages[0])
    forged = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert forged.status_code == 400 and "This link is not valid." in forged.text
    app.config["EMAIL_VERIFY_SECONDS"] = -1
    expired = client.get(path)
    assert expired.status_code == 400 and "This link has expired." in expired.text
    assert not account("hana@example.com").email_verified


def test_a_korean_reader_is_told_in_korean(client, inbox):
    sign_up(client, "hana@example.com", headers=KO)
    deliver()
    path = link_path(inbox.messages[0])
    client.get(path, headers=KO)
    again = client.get(path, headers=KO)
    assert "이미 사용한 링크입니다" in again.text


def test_the_banner_sends_a_new_link_at_most_once_a_minute(app, client, make, login, inbox):
    user = unverified(make)
    login(user)
    answers = [
        client.post("/account/verification", data={"next": "/"}, follow_redirects=True)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].text.count(f"We sent a link to {user.email}") == 1
    assert f"We sent a link to {user.email}" in answers[1].text  # the same answer
    deliver()
    assert [m["To"] for m in inbox.messages] == [user.email]  # but one message
    app.config["EMAIL_VERIFY_RESEND_SECONDS"] = 0
    client.post("/account/verification")
    deliver()
    assert len(inbox.messages) == 2


def test_a_verified_account_gets_no_link(make):
    user = make.user()
    with unit_of_work():
        assert verification.request_verification(user, utcnow()) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail)) == 0


def _world(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader = unverified(make)
    make.team(competition, leader, name="Ours")
    return competition, problem, leader


def test_an_unverified_uploader_cannot_submit_on_the_page(client, make, login):
    competition, problem, leader = _world(make)
    login(leader)
    data = {"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv"), "description": ""}
    response = client.post(
        f"/c/{competition.slug}/p/{problem.slug}/submissions",
        data=data,
        headers={"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"},
    )
    assert response.status_code == 403
    assert "Please confirm your email address before submitting" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_an_unverified_uploader_cannot_submit_over_the_api(client, make):
    _competition, problem, leader = _world(make)
    headers = {"Authorization": f"Bearer {make.token(leader)}", **KO}
    data = {"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv")}
    response = client.post(f"/api/v1/problems/{problem.id}/submissions", data=data,
                           headers=headers)  # fmt: skip
    assert response.status_code == 403
    assert "제출하기 전에 이메일 주소를 확인해 주세요" in response.get_json()["error"]["message"]
    with unit_of_work():
        leader.email_verified_at = utcnow()
    data = {"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv")}
    response = client.post(f"/api/v1/problems/{problem.id}/submissions", data=data,
                           headers=headers)  # fmt: skip
    assert response.status_code == 202
