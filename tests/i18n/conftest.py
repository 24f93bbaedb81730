"""The app as shipped: Korean unless the user, the switcher or the browser asks otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from judge import create_app
from judge.core.extensions import db
from tests.conftest import IsolatedClient, _config


@pytest.fixture
def app(
    tmp_path: Path, database_url: str, redis_broker, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    config = _config(tmp_path, database_url, redis_broker)
    config.pop("BABEL_DEFAULT_LOCALE")  # the product default, Korean
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


# 1 December 2036, 09:00 UTC: 18:00 in Seoul (submissions close then).
OPENS = datetime(2036, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def event(make):
    """A competition with Korean content, a published problem and a team, seen by its leader."""
    organizer = make.user(name="박주최", admin=True)
    competition = make.competition(
        organizer, title="AI 혁신 챌린지", rules="공정하게 참가합니다.", submissions_close_at=OPENS
    )
    problem = make.problem(competition, slug="defects", title="불량 검출")
    leader = make.user(name="김민준")
    team = make.team(competition, leader, name="알파팀")
    return competition, problem, team, leader, organizer


def visible_text(html: str) -> str:
    """What a reader sees: no scripts, styles, tags or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


from tests.scoring.conftest import make_problem  # noqa: E402, F401  (the engine's test problems)
