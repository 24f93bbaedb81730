"""Shared fixtures: an app whose database is built by the migrations, clients and factories."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade

from judge import create_app
from judge.core.extensions import db
from tests.factories import Factories

PASSWORD = "correct horse battery"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The tests hold an app context for factories and queries; without this,
    requests would reuse it and share its ``g`` and database session.
    Afterwards the test's session forgets what it had loaded, so it sees
    what the request committed.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            db.session.expire_all()


def _config(tmp: Path, database: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "STORAGE_DIR": str(tmp / "storage"),
        "BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.db'}",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast for tests; production uses scrypt
        "SERVER_NAME": "judge.test",
        # The product defaults to Korean; most tests read English text (tests/i18n reads both).
        "BABEL_DEFAULT_LOCALE": "en",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file built by running every migration; each test gets a copy."""
    tmp = tmp_path_factory.mktemp("template")
    database = tmp / "template.db"
    app = create_app(_config(tmp, database))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database


@pytest.fixture
def app(
    tmp_path: Path, migrated_database: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "judge.db"
    shutil.copyfile(migrated_database, database)
    app = create_app(_config(tmp_path, database))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Factories:
    """Factories that build committed rows: make.user(), make.competition(), …"""
    return Factories(PASSWORD)


@pytest.fixture
def login(client: FlaskClient):
    """Log ``user`` in on the test client through the real login form."""

    def do_login(user, password: str = PASSWORD) -> None:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text

    return do_login
