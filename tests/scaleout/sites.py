"""A judge instance on disk for real servers: embedded (SQLite) or PostgreSQL plus Redis."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from judge import create_app
from judge.core.extensions import db
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.integration.conftest import Instance
from tests.integration.servers import environment, use_environment
from tests.support.services import private_postgres, private_redis

CONFIGURATIONS = ["embedded", "postgresql+redis"]


@contextlib.contextmanager
def instance_with(path: Path, monkeypatch: pytest.MonkeyPatch, **settings: str
                  ) -> Iterator[Instance]:  # fmt: skip
    """Migrate the database the settings name; the test process uses the same settings."""
    env = environment(path, **settings)
    use_environment(monkeypatch, env)
    app = create_app()
    with app.app_context():
        upgrade()
        yield Instance(path, env, Factories(PASSWORD))
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def configured(name: str, path: Path, monkeypatch: pytest.MonkeyPatch, **settings: str
               ) -> Iterator[Instance]:  # fmt: skip
    """The embedded defaults, or private PostgreSQL and Redis servers started for the test."""
    if name == "embedded":
        with instance_with(path, monkeypatch, **settings) as instance:
            yield instance
        return
    with (
        private_postgres() as pg,
        private_redis() as redis,
        instance_with(path, monkeypatch, DATABASE_URL=pg.url, BROKER_URL=redis.url,
                      **settings) as instance,
    ):  # fmt: skip
        yield instance
