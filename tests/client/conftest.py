"""The real app served over HTTP on localhost, and the client commands run against it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from werkzeug.serving import make_server

from judge.client import config


@pytest.fixture
def server(app) -> Iterator[str]:
    """The test app behind werkzeug's threaded server; yields its URL."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=10)
    http.server_close()


@pytest.fixture
def client_config(tmp_path: Path) -> Path:
    """Where the client keeps its settings in these tests (never the user's own file)."""
    return tmp_path / "home" / "judge" / "client.json"


Run = Callable[..., Result]


@pytest.fixture
def run(server: str, client_config: Path) -> Run:
    """run(command, *args, token=…, url=…, env=…, input=…): invoke a client command."""

    def invoke(command: click.Command, *args, token=None, url=server, env=None, input=None):
        environment = {
            config.URL_VARIABLE: url,
            config.TOKEN_VARIABLE: token,
            config.PATH_VARIABLE: str(client_config),
            **(env or {}),
        }
        return CliRunner().invoke(command, [str(a) for a in args], env=environment, input=input)

    return invoke


@dataclass
class Scene:
    competition: object
    problem: object
    leader: object
    team: object
    token: str


@pytest.fixture
def scene(make) -> Scene:
    """A published problem and a team "Alpha" whose leader has a token."""
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    team = make.team(competition, leader, name="Alpha")
    return Scene(competition, problem, leader, team, make.token(leader))


@pytest.fixture
def predictions(tmp_path: Path) -> Path:
    path = tmp_path / "pred.csv"
    path.write_text("id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41)))
    return path
