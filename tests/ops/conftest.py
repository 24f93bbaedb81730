"""Helpers for the operations tests: servers that never answer, apps with other settings."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from judge import create_app
from judge.core.extensions import db


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that accepts connections and then never says a word (a hung server)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (a server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app_with(app):
    """Build another app like ``app`` with some settings changed; yields its test client."""
    made = []

    def build(**settings):
        config = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                              "STORAGE_DIR", "BROKER_URL", "SERVER_NAME",
                                              "WTF_CSRF_ENABLED")}  # fmt: skip
        other = create_app({**config, **settings})
        made.append(other)
        return other.test_client()

    yield build
    for other in made:
        with other.app_context():
            db.engine.dispose()


from tests.integration.conftest import instance, server_settings  # noqa: E402, F401 (real processes)
