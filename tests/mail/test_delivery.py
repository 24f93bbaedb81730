"""Sending recorded mail: once, retried on a failing server then recorded failed, and on
the embedded defaults into the outbox folder that only administrators can read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from judge import create_app
from judge.core import queue as task_queue
from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.mail import services
from judge.mail.models import MailStatus, OutgoingMail
from judge.mail.tasks import send_mail_task, sweep_mail_task
from tests.conftest import IsolatedClient, _config
from tests.factories import Factories
from tests.support.smtp import Inbox, smtp_server

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def queue(user, key: str = "k1") -> int:
    with unit_of_work():
        record = services.queue_mail(user, "password_changed", {"link": "http://x/"}, key, NOW)
    return record.id


def record(mail_id: int) -> OutgoingMail:
    db.session.expire_all()
    return db.session.get(OutgoingMail, mail_id)


def test_a_redelivered_task_or_a_repeated_key_sends_once(make, inbox):
    user = make.user()
    mail_id = queue(user)
    with unit_of_work():  # asking again for the same message makes no second one
        assert services.queue_mail(user, "password_changed", {"link": "x"}, "k1", NOW) is None
    send_mail_task.apply(args=(mail_id,))
    send_mail_task.apply(args=(mail_id,))  # the broker delivers the task again
    assert len(inbox.messages) == 1
    sent = record(mail_id)
    assert (sent.status, sent.attempts, sent.recipient) == (MailStatus.SENT, 1, user.email)
    assert sent.sent_at is not None
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1


def test_mail_recorded_while_the_broker_is_down_is_handed_over_by_the_sweep(
    make, inbox, monkeypatch
):
    user = make.user()
    monkeypatch.setattr(task_queue, "send", lambda task, *args: False)  # the broker is down
    mail_id = queue(user)
    assert record(mail_id).enqueued_at is None
    handed = []
    monkeypatch.setattr(task_queue, "send", lambda task, *args: handed.append(args) or True)
    assert sweep_mail_task.apply().get() == 1
    assert handed == [(mail_id,)]
    assert sweep_mail_task.apply().get() == 0  # handed over once: never twice
    send_mail_task.apply(args=(mail_id,))
    assert [m["To"] for m in inbox.messages] == [user.email]


@pytest.fixture
def refusing_app(tmp_path, database_url, redis_broker, monkeypatch):
    """An app whose SMTP server refuses every message for now (451)."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    inbox = Inbox(refuse="451 4.3.0 Try again later")
    with smtp_server(inbox) as port:
        settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_MAX_ATTEMPTS": 3}
        app = create_app(_config(tmp_path, database_url, redis_broker) | settings)
        with app.app_context():
            yield app, inbox
            db.session.remove()
            db.engine.dispose()


def test_a_failing_server_is_retried_then_the_message_is_recorded_failed(refusing_app):
    _app, inbox = refusing_app
    user = Factories("a good password").user()
    mail_id = queue(user)
    send_mail_task.apply(args=(mail_id,))  # retries run at once when applied in-process
    failed = record(mail_id)
    assert inbox.tries == 3
    assert (failed.status, failed.attempts, failed.sent_at) == (MailStatus.FAILED, 3, None)
    assert "451" in failed.last_error
    send_mail_task.apply(args=(mail_id,))  # given up: a late re-delivery sends nothing
    assert inbox.tries == 3


def test_an_unreachable_server_counts_as_a_failed_attempt(app, make):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    app.extensions["mailman"].port = 1
    user = make.user()
    mail_id = queue(user)
    send_mail_task.apply(args=(mail_id,))
    failed = record(mail_id)
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, 3)
    assert "ConnectionRefusedError" in failed.last_error


@pytest.fixture
def outbox_app(tmp_path, database_url, redis_broker, monkeypatch):
    """The embedded defaults: no MAIL_SERVER."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path, database_url, redis_broker))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_without_a_mail_server_mail_goes_to_the_outbox_only_admins_read(outbox_app, tmp_path):
    make = Factories("a good password")
    admin, participant = make.user(admin=True), make.user()
    client = outbox_app.test_client()
    client.post("/password/forgot", data={"email": participant.email})
    (mail_id,) = db.session.scalars(sa.select(OutgoingMail.id)).all()
    send_mail_task.apply(args=(mail_id,))
    files = list((tmp_path / "instance" / "outbox").glob("*.eml"))
    assert [f.name for f in files] == [f"{mail_id:06d}-password_reset.eml"]
    eml = files[0].read_text()
    assert f"To: {participant.email}" in eml and "text/html" in eml
    assert record(mail_id).status is MailStatus.SENT

    assert client.get("/admin/outbox").status_code == 302  # anonymous: log in first
    for user, code in ((participant, 404), (admin, 200)):
        browser = outbox_app.test_client()
        browser.post("/login", data={"email": user.email, "password": "a good password"})
        page = browser.get("/admin/outbox")
        assert page.status_code == code
        shown = browser.get(f"/admin/outbox/{mail_id}")
        assert shown.status_code == code
        html = browser.get(f"/admin/outbox/{mail_id}/html")
        assert html.status_code == code
    assert participant.email in page.text and "sent" in page.text
    assert "/password/reset/" in shown.text
    assert html.headers["Content-Security-Policy"].startswith("default-src 'none'")
