"""Forgotten passwords: the reset mail reaches a real SMTP server in the reader's language,
its link works once, and the answer never tells whether an address has an account."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import template_rendered

from judge.accounts import services
from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.mail.models import MailStatus, OutgoingMail
from judge.mail.tasks import send_mail_task
from tests.conftest import PASSWORD
from tests.security.test_enumeration import CSRF, median_seconds
from tests.support.smtp import parts

NEW_PASSWORD = "a brand new secret"
LINK = re.compile(r"http://\S+/password/reset/\S+")
SAME_ANSWER = "we have sent it a link to choose a new password"


def ask(client, email: str, ip: str = "10.40.0.1"):
    return client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def logs_in(client, email: str, password: str) -> bool:
    return client.post("/login", data={"email": email, "password": password}).status_code == 302


def deliver() -> list[OutgoingMail]:
    """Run the send task for every queued message, as a worker would."""
    queued = db.session.scalars(
        sa.select(OutgoingMail).where(OutgoingMail.status == MailStatus.QUEUED)
    ).all()
    for record in queued:
        send_mail_task.apply(args=(record.id,))
    db.session.expire_all()
    return list(queued)


def speaking(make, locale: str):
    user = make.user(name="김하나" if locale == "ko" else "Hana Kim")
    with unit_of_work():
        services.set_locale(user, locale)
    return user


def link_path(message) -> str:
    text, _html = parts(message)
    return urlsplit(LINK.search(text).group(0)).path


def test_the_reset_mail_arrives_in_the_readers_language_with_text_and_html(client, make, inbox):
    korean, english = speaking(make, "ko"), speaking(make, "en")
    for user in (korean, english):
        assert ask(client, user.email).status_code == 302
    deliver()
    received = {m["To"]: m for m in inbox.messages}
    assert set(received) == {korean.email, english.email}
    ko_text, ko_html = parts(received[korean.email])
    assert received[korean.email]["Subject"] == "비밀번호 재설정"
    assert "김하나님, 안녕하세요." in ko_text and "김하나님, 안녕하세요." in ko_html
    assert "60분 안에 한 번만" in ko_text
    en_text, en_html = parts(received[english.email])
    assert received[english.email]["Subject"] == "Reset your password"
    assert "Hello Hana Kim," in en_text and "Hello Hana Kim," in en_html
    assert LINK.search(en_text).group(0) in en_html


def test_the_link_sets_a_new_password_once_and_ends_every_session_and_token(
    app, client, make, inbox, login
):
    user = make.user()
    token = make.token(user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    elsewhere = app.test_client()
    assert elsewhere.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
    ask(client, user.email)
    deliver()
    path = link_path(inbox.messages[0])
    assert "Choose a new password" in client.get(path).text
    answer = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302
    assert "Every browser and API token" in client.get(answer.headers["Location"]).text
    assert elsewhere.get("/account").status_code == 302  # logged out there
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    login(user, NEW_PASSWORD)
    used = app.test_client().get(path)
    assert used.status_code == 400
    assert "This link was already used." in used.text
    again = app.test_client().post(path, data={"password": "third password", "confirm": "x"})
    assert again.status_code == 400
    deliver()  # the owner is told that the password changed
    assert [m["Subject"] for m in inbox.messages] == [
        "Reset your password",
        "Your password was changed",
    ]


def test_an_expired_or_forged_link_is_refused_with_a_clear_message(app, client, make, inbox):
    user = make.user()
    ask(client, user.email)
    deliver()
    path = link_path(inbox.messages[0])
    forged = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert forged.status_code == 400
    assert "This link is not valid." in forged.text
    app.config["PASSWORD_RESET_SECONDS"] = -1  # every link is older than that
    expired = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert expired.status_code == 400
    assert "This link has expired." in expired.text
    app.config["PASSWORD_RESET_SECONDS"] = 3600
    assert logs_in(client, user.email, PASSWORD)


def test_a_short_or_mistyped_new_password_changes_nothing(client, make, inbox):
    user = make.user()
    ask(client, user.email)
    deliver()
    path = link_path(inbox.messages[0])
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert "at least 8 characters" in short.text
    differ = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert "The passwords differ." in differ.text
    assert logs_in(client, user.email, PASSWORD)
    assert "Choose a new password" in client.get(path).text  # the link still works


def test_an_unknown_address_gets_the_same_answer_and_the_same_work(app, make, inbox):
    user = make.user()
    answers, rendered = [], []

    def note(sender, template, context, **extra):
        rendered[-1].append(template.name)

    template_rendered.connect(note, app)
    try:
        for email in (user.email, "nobody@example.com"):
            rendered.append([])
            browser = app.test_client()
            response = ask(browser, email)
            page = CSRF.sub("", browser.get(response.headers["Location"]).text)  # per browser
            answers.append((response.status_code, page.replace(email, "X")))
    finally:
        template_rendered.disconnect(note, app)
    assert answers[0] == answers[1]
    assert SAME_ANSWER in answers[0][1]
    assert rendered[0] == rendered[1]  # the mail is rendered for an unknown address too
    assert "mail/password_reset.txt" in rendered[1]
    deliver()
    assert [m["To"] for m in inbox.messages] == [user.email]  # but sent to nobody else


def test_reset_requests_are_throttled_per_address_alike_for_unknown_ones(client, make):
    user = make.user()
    for email in (user.email, "nobody@example.com"):
        codes = [ask(client, email, ip=f"10.41.0.{n}").status_code for n in range(6)]
        assert codes == [302] * 5 + [429]
        refused = ask(client, email, ip="10.41.1.1")
        assert "Too many password reset requests." in refused.text
    records = db.session.scalars(sa.select(OutgoingMail)).all()
    assert {r.recipient for r in records} == {user.email}  # (one link a second: one message)


def test_reset_requests_are_throttled_per_network(app, client, make):
    app.config["PASSWORD_RESET_MAX_PER_ADDRESS"] = 3
    codes = [ask(client, f"someone{n}@example.com").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert ask(client, "someone@example.com", ip="10.42.0.1").status_code == 302


def test_asking_for_an_unknown_address_takes_about_as_long_as_for_a_known_one(app, client, make):
    app.config["PASSWORD_RESET_MAX_PER_ACCOUNT"] = 100
    user = make.user()
    known = median_seconds(lambda n: ask(client, user.email, ip=f"10.43.0.{n}"))
    unknown = median_seconds(lambda n: ask(client, f"nobody{n}@example.com", ip=f"10.44.0.{n}"))
    assert 1 / 3 <= unknown / known <= 3, (unknown, known)  # generous: load varies
