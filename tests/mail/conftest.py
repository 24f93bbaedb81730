"""Apps whose mail goes to a real SMTP server in the test process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from judge import create_app
from judge.core.extensions import db
from tests.conftest import IsolatedClient, _config
from tests.support.smtp import Inbox, smtp_server


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    yield Inbox()


@pytest.fixture
def app(tmp_path, database_url, redis_broker, monkeypatch, inbox):
    """The usual test app, sending mail through SMTP to ``inbox``."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    with smtp_server(inbox) as port:
        settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_MAX_ATTEMPTS": 3}
        app = create_app(_config(tmp_path, database_url, redis_broker) | settings)
        app.test_client_class = IsolatedClient
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
