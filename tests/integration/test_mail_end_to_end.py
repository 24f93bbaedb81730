"""A reset request on the site is mailed by a real Celery worker through a real SMTP server,
and its link sets the new password."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import current_app

from tests.integration.servers import start_worker, wait_until
from tests.support.smtp import Inbox, parts, smtp_server


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


def csrf(page: str) -> str:
    found = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_a_reset_link_is_mailed_by_the_worker_and_sets_the_password(instance, inbox, tmp_path):
    messages = inbox[0].messages
    user = instance.make.user(name="Worker Test")
    client = current_app.test_client()
    token = csrf(client.get("/password/forgot").text)
    asked = client.post("/password/forgot", data={"email": user.email, "csrf_token": token})
    assert asked.status_code == 302
    mail = {"JUDGE_MAIL_SERVER": "127.0.0.1", "JUDGE_MAIL_PORT": str(inbox[1])}
    worker = start_worker(instance.env | mail, tmp_path / "worker.log", "mail", beat=False)
    try:
        wait_until(lambda: messages, 60, "the reset mail", worker)
    finally:
        worker.kill()
    (message,) = messages
    assert message["To"] == user.email and message["Subject"] == "Reset your password"
    text, html = parts(message)
    link = re.search(r"http://\S+/password/reset/\S+", text).group(0)
    assert link in html
    path = urlsplit(link).path
    token = csrf(client.get(path).text)
    data = {"password": "a new password", "confirm": "a new password", "csrf_token": token}
    assert client.post(path, data=data).status_code == 302
    assert client.get(path).status_code == 400  # used
