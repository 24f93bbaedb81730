"""A judge instance on disk, served by real gunicorn and scored by real Celery workers.

On the embedded defaults its database and broker are SQLite files in the instance folder;
in the production pass, a fresh copy of the migrated PostgreSQL database and the Redis broker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from flask_migrate import upgrade

from judge import create_app
from judge.core.extensions import db
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.integration.servers import environment, use_environment
from tests.support.databases import PostgresDatabases, RedisBroker


@dataclass
class Instance:
    path: Path
    env: dict[str, str]
    make: Factories


def binary_solution(rows: int, seed: int = 7) -> str:
    labels = np.random.default_rng(seed).integers(0, 2, rows)
    return "id,label\n" + "".join(f"{i},{v}\n" for i, v in enumerate(labels))


def predictions(rows: int, seed: int = 7, noise: float = 0.4) -> bytes:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, rows)
    scores = np.clip(labels * 0.6 + rng.random(rows) * noise, 0, 1)
    body = "\n".join(f"{i},{s:.4f}" for i, s in enumerate(scores))
    return ("id,label\n" + body + "\n").encode()


@pytest.fixture
def server_settings(
    request: pytest.FixtureRequest,
    postgres: PostgresDatabases | None,
    redis_broker: RedisBroker | None,
) -> dict[str, str]:
    """Where the instance keeps its data: nothing (the embedded defaults) or the servers."""
    if postgres is None or redis_broker is None:
        return {}
    database_url = request.getfixturevalue("database_url")
    return {"DATABASE_URL": database_url, **redis_broker.environment()}


@pytest.fixture
def instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_settings: dict[str, str]
) -> Iterator[Instance]:
    settings = {"SWEEP_SECONDS": "1", "SCORING_WALL_SECONDS": "20",
                "SCORING_LEASE_MARGIN_SECONDS": "2", "REQUEUE_AFTER_SECONDS": "30",
                **server_settings}  # fmt: skip
    env = environment(tmp_path / "instance", **settings)
    use_environment(monkeypatch, env)
    app = create_app()
    with app.app_context():
        upgrade()
        assert db.engine.dialect.name == ("postgresql" if server_settings else "sqlite")
        yield Instance(tmp_path / "instance", env, Factories(PASSWORD))
        db.session.remove()
        db.engine.dispose()
