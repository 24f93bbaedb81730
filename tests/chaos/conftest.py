"""A judge instance on private PostgreSQL and Redis servers that a test may stop and restart.

Real gunicorn and a real Celery worker (tests/integration/servers.py) run against them.
These tests run in every pass where the server binaries are installed; under CI=true,
missing binaries are a failure, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from flask_migrate import upgrade

from judge import create_app
from judge.core.extensions import db
from judge.submissions.models import Score, Status, Submission
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.integration.servers import environment, use_environment
from tests.support.services import (
    PrivatePostgres,
    PrivateRedis,
    postgres_missing,
    private_postgres,
    private_redis,
    redis_missing,
)

SETTINGS = {
    "SWEEP_SECONDS": "1",
    "REQUEUE_AFTER_SECONDS": "8",  # a message lost with Redis is published again soon
    "SCORING_WALL_SECONDS": "30",
    "SCORING_LEASE_MARGIN_SECONDS": "5",
    "DATABASE_RETRY_SECONDS": "90",
}


@dataclass
class Chaos:
    path: Path
    env: dict[str, str]
    make: Factories
    postgres: PrivatePostgres
    redis: PrivateRedis


@pytest.fixture
def chaos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Chaos]:
    reason = postgres_missing() or redis_missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"chaos tests need PostgreSQL and Redis, which CI installs: {reason}")
    if reason:
        pytest.skip(reason)
    with private_postgres() as postgres, private_redis() as redis:
        settings = {**SETTINGS, "DATABASE_URL": postgres.url, "BROKER_URL": redis.url}
        env = environment(tmp_path / "instance", **settings)
        use_environment(monkeypatch, env)
        app = create_app()
        with app.app_context():
            upgrade()
            yield Chaos(tmp_path / "instance", env, Factories(PASSWORD), postgres, redis)
            db.session.remove()
            db.engine.dispose()


def token(url: str, email: str) -> dict[str, str]:
    answer = requests.post(f"{url}/api/v1/tokens", json={"email": email, "password": PASSWORD},
                           timeout=30)  # fmt: skip
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def upload(url: str, headers: dict, problem_id: int, content: bytes) -> requests.Response:
    return requests.post(f"{url}/api/v1/problems/{problem_id}/submissions", headers=headers,
                         files={"file": ("predictions.csv", content)}, timeout=30)  # fmt: skip


def accepted(response: requests.Response) -> int:
    assert response.status_code == 202, response.text
    return response.json()["id"]


def outcomes(ids: list[int]) -> dict[int, tuple[Status, int]]:
    """Each submission's status and how many score rows it has, straight from the database."""
    db.session.close()  # a new snapshot, on a connection checked (pre-ping) when taken
    statuses = dict(
        db.session.execute(
            sa.select(Submission.id, Submission.status).where(Submission.id.in_(ids))
        ).all()
    )
    counts = dict(db.session.execute(
        sa.select(Score.submission_id, sa.func.count()).where(Score.submission_id.in_(ids))
        .group_by(Score.submission_id)).all())  # fmt: skip
    db.session.close()  # hold no connection while a test stops the server
    return {i: (statuses.get(i), counts.get(i, 0)) for i in ids}


def all_scored(ids: list[int]) -> bool:
    return all(status == Status.SCORED for status, _ in outcomes(ids).values())
