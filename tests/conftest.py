"""Shared fixtures: an app whose database is built by the migrations, clients and factories.

By default each test gets a copy of a migrated SQLite file and a SQLite broker; when
JUDGE_TEST_POSTGRES_URL and JUDGE_TEST_REDIS_URL are set (see tests/support/databases.py),
a copy of a migrated PostgreSQL database and the Redis broker instead.
"""

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
from tests.support import slots
from tests.support.databases import (
    POSTGRES_URL,
    PRODUCTION,
    REDIS_URL,
    PostgresDatabases,
    RedisBroker,
    ReusableDatabase,
)

PASSWORD = "correct horse battery"

# The fixtures through which a test reaches the pass's database or broker.
_PASS_FIXTURES = {"postgres", "redis_broker"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL + Redis pass, run only the tests that reach its database or broker.

    A test whose fixtures reach neither (the scoring engine, the sandbox, pure functions,
    suites that start private servers of their own) runs exactly as on the first pass, so
    running it again would only cost time; pytest reports those as deselected.
    """
    if not PRODUCTION:
        return
    kept, dropped = [], []
    for item in items:
        (kept if _reaches_servers(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _reaches_servers(item: pytest.Item) -> bool:
    """Whether a test reaches the database or the broker in a way the first pass did not try.

    A browser journey runs in Korean and in English on the first pass; the two differ only
    in the words on the page, which the database does not change, so the second pass walks
    each journey once, in Korean (the product's default language).
    """
    if not _PASS_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    callspec = getattr(item, "callspec", None)
    return callspec is None or callspec.params.get("language", "ko") == "ko"


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


def _config(tmp: Path, database_url: str, broker: RedisBroker | None) -> dict:
    queue = broker.settings() if broker else {"BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.db'}"}
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "STORAGE_DIR": str(tmp / "storage"),
        **queue,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast for tests; production uses scrypt
        "SERVER_NAME": "judge.test",
        "SANDBOX_ROOT": slots.root("/run/judge-sandbox"),  # apart from a side-by-side run's
        "SANDBOX_UID_BASE": slots.uid_base(60000),
        # The product defaults to Korean; most tests read English text (tests/i18n reads both).
        "BABEL_DEFAULT_LOCALE": "en",
    }


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """The PostgreSQL server of the production pass (None on the embedded defaults)."""
    if not PRODUCTION:
        yield None
        return
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def redis_broker() -> Iterator[RedisBroker | None]:
    """The Redis broker of the production pass, with keys unique to this run."""
    if not PRODUCTION:
        yield None
        return
    broker = RedisBroker(REDIS_URL)
    yield broker
    broker.close()


@pytest.fixture(scope="session")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> str:
    """One database built by running every migration; each test gets a copy of it.

    A SQLite file's path, or the name of a PostgreSQL template database.
    """
    tmp = tmp_path_factory.mktemp("template")
    if postgres:
        name = postgres.create()
        url = postgres.url(name)
    else:
        name = str(tmp / "template.db")
        url = f"sqlite:///{name}"
    app = create_app(_config(tmp, url, None))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return name


@pytest.fixture(scope="session")
def reusable_database(
    migrated_database: str, postgres: PostgresDatabases | None
) -> ReusableDatabase | None:
    return postgres.reusable(migrated_database) if postgres else None


@pytest.fixture
def database_url(
    tmp_path: Path, migrated_database: str, reusable_database: ReusableDatabase | None
) -> Iterator[str]:
    """The migrated database, with no rows, for one test."""
    if reusable_database is None:
        database = tmp_path / "judge.db"
        shutil.copyfile(migrated_database, database)
        yield f"sqlite:///{database}"
        return
    yield reusable_database.url
    reusable_database.reset()


@pytest.fixture
def app(
    tmp_path: Path,
    database_url: str,
    redis_broker: RedisBroker | None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Flask]:
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path, database_url, redis_broker))
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
