"""A refused upload is refused before its body is read, through a real server socket.

The attacker sends the headers of a large upload and only its first 16 KB, then waits: the
refusal (401, 403, 404, 413, 429) must come while the rest of the body is still unsent, and
nothing may have been staged. Before this, an anonymous 150 MB upload was read and spooled
in full before its 401, and a 100 MB upload to a closed problem before its 403. The server
runs with CSRF protection on, as in production (its check reads the form).
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from judge import create_app
from judge.core.db import utcnow
from judge.core.extensions import db
from tests.conftest import PASSWORD, IsolatedClient
from tests.submissions.helpers import submit

MiB = 1024 * 1024
BOUNDARY = "judge-probe-boundary"
FIRST_PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
    "Content-Type: text/csv\r\n\r\nid,label\n"
).encode() + b"1,0\n" * 4096  # 16 KB of a file the client says is much larger
SETTINGS = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "STORAGE_DIR", "BROKER_URL",
            "SERVER_NAME", "BABEL_DEFAULT_LOCALE", "PASSWORD_HASH_METHOD")  # fmt: skip


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Site:
    app: Flask
    port: int

    def send_partly(self, method: str, path: str, declared: int, **headers: str) -> Answer:
        """Declare ``declared`` bytes of body, send 16 KB, and read the answer; fail if the
        server waits for the rest instead."""
        named = [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
        lines = [f"{method} {path} HTTP/1.1", "Host: judge.test", f"Content-Length: {declared}",
                 f"Content-Type: multipart/form-data; boundary={BOUNDARY}", *named]  # fmt: skip
        with socket.create_connection(("127.0.0.1", self.port), timeout=15) as sock:
            sock.sendall("\r\n".join([*lines, "", ""]).encode() + FIRST_PART)
            try:
                return _read_answer(sock)
            except TimeoutError:
                pytest.fail(f"{method} {path}: no answer while the body was unsent")

    def staged(self) -> list[Path]:
        folder = Path(self.app.config["STORAGE_DIR"]) / "tmp"
        return list(folder.iterdir()) if folder.is_dir() else []


def _read_answer(sock: socket.socket) -> Answer:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed without an answer: {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    while len(body) < int(headers.get("content-length", 0)):
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Answer(int(status_line.split()[1]), headers, body)


@pytest.fixture
def site(app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Site]:
    """The app served by werkzeug on a real socket, with CSRF protection on."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # where a parser would spool
    served = create_app({**{k: app.config[k] for k in SETTINGS}, "WTF_CSRF_ENABLED": True})
    served.test_client_class = IsolatedClient
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(served, server.server_port)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with served.app_context():
            db.engine.dispose()


@dataclass
class World:
    open: object
    closed: object
    draft: object
    used_up: object
    leader: object
    outsider: object


@pytest.fixture
def world(make) -> World:
    competition = make.competition()
    now = utcnow()
    problems = {
        "open": make.problem(competition, slug="open"),
        "closed": make.problem(
            competition,
            slug="closed",
            opens_at=now - timedelta(days=2),
            closes_at=now - timedelta(hours=1),
        ),
        "draft": make.problem(competition, slug="draft", publish=False),
        "used_up": make.problem(competition, slug="used-up", daily_limit=1),
    }
    leader, outsider = make.user("leader@example.com"), make.user("outsider@example.com")
    make.team(competition, leader, name="Probers")
    submit(problems["used_up"], leader)  # today's one upload is used
    return World(**problems, leader=leader, outsider=outsider)


def bearer(make, user) -> str:
    return f"Bearer {make.token(user)}"


def session_cookie(site: Site, user) -> str:
    """Log in through the login form (with its CSRF token) and return the session cookie."""
    client = site.app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})  # fmt: skip
    assert answer.status_code == 302, answer.text
    return f"session={client.get_cookie('session', domain='judge.test').value}"


def api_path(problem) -> str:
    return f"/api/v1/problems/{problem.id}/submissions"


def web_path(problem) -> str:
    return f"/c/{problem.competition.slug}/p/{problem.slug}/submissions"


def test_api_uploads_are_refused_before_their_body(site, world, make):
    token = bearer(make, world.leader)
    cases = [
        ("anonymous", api_path(world.open), 150 * MiB, {}, 401),
        ("hidden problem", api_path(world.draft), 100 * MiB, {"Authorization": token}, 404),
        ("closed problem", api_path(world.closed), 100 * MiB, {"Authorization": token}, 403),
        ("no uploads left", api_path(world.used_up), 100 * MiB, {"Authorization": token}, 429),
        ("no team", api_path(world.open), 100 * MiB,
         {"Authorization": bearer(make, world.outsider)}, 403),
        ("over the limit", api_path(world.open), 300 * MiB, {"Authorization": token}, 413),
    ]  # fmt: skip
    for name, path, declared, headers, expected in cases:
        answer = site.send_partly("POST", path, declared, **headers)
        assert answer.status == expected, (name, answer)
        assert b'"message"' in answer.body, (name, answer.body)
        assert site.staged() == [], name
    too_big = site.send_partly("POST", api_path(world.open), 300 * MiB, Authorization=token)
    assert b"larger than the limit of 200" in too_big.body


def test_web_uploads_are_refused_before_their_body_and_before_csrf_reads_it(site, world):
    script = {"X_Requested_With": "XMLHttpRequest", "Accept": "application/json"}
    logged_in = {**script, "Cookie": session_cookie(site, world.leader)}
    cases = [
        ("anonymous script", web_path(world.open), script, 401),
        ("hidden problem", web_path(world.draft), logged_in, 404),
        ("closed problem", web_path(world.closed), logged_in, 403),
        ("no uploads left", web_path(world.used_up), logged_in, 429),
        ("over the limit", web_path(world.open), logged_in, 413),
    ]
    for name, path, headers, expected in cases:
        declared = 300 * MiB if expected == 413 else 100 * MiB
        answer = site.send_partly("POST", path, declared, **headers)
        assert answer.status == expected, (name, answer)
        assert b'"message"' in answer.body, (name, answer.body)
        assert site.staged() == [], name
    # The plain form (no script): sent back to the problem page with the message.
    answer = site.send_partly("POST", web_path(world.closed), 100 * MiB,
                              Cookie=logged_in["Cookie"])  # fmt: skip
    assert answer.status == 302 and answer.headers["location"].endswith("#my-submissions")


def test_staff_uploads_are_refused_before_their_body(site, world, make):
    problem = world.open
    participant = bearer(make, world.leader)
    api = [
        ("PUT", f"/api/v1/problems/{problem.id}/solution", {"Authorization": participant}, 403),
        ("POST", f"/api/v1/problems/{problem.id}/files", {}, 401),
        ("PUT", f"/api/v1/problems/{problem.id}/scoring-program",
         {"Authorization": participant}, 403),
        ("PUT", f"/api/v1/problems/{world.draft.id}/code", {"Authorization": participant}, 404),
        ("POST", f"/api/v1/competitions/{problem.competition.slug}/problems",
         {"Authorization": participant}, 403),
    ]  # fmt: skip
    web = f"/c/{problem.competition.slug}/p/{problem.slug}"
    cookie = {"Cookie": session_cookie(site, world.leader)}
    pages = [
        ("POST", f"{web}/solution", cookie, 403),
        ("POST", f"{web}/files", {}, 302),  # to the login page
        ("POST", f"/c/{problem.competition.slug}/problems/new", cookie, 403),
        ("POST", f"/c/{problem.competition.slug}/manage/bundle", cookie, 403),
        ("POST", f"/c/{problem.competition.slug}/finals/materials", cookie, 404),  # no finalist
    ]
    for method, path, headers, expected in api + pages:
        answer = site.send_partly(method, path, 100 * MiB, **headers)
        assert answer.status == expected, (method, path, answer)
        assert site.staged() == [], path
    login = site.send_partly("POST", f"{web}/files", 100 * MiB)
    assert "/login" in login.headers["location"]


def test_an_upload_that_may_be_made_still_goes_through_the_same_socket(site, world, make):
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nid,label\n1,0\n\r\n--{BOUNDARY}--\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", site.port), timeout=15) as sock:
        head = (f"POST {api_path(world.open)} HTTP/1.1\r\nHost: judge.test\r\n"
                f"Authorization: {bearer(make, world.leader)}\r\nContent-Length: {len(body)}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n")  # fmt: skip
        sock.sendall(head.encode() + body)
        answer = _read_answer(sock)
    assert answer.status == 202, answer


def test_validation_runs_are_refused_before_their_body(site, world, make):
    """A validation run's upload is judged like a submission's: the window, the team, and a
    problem that takes no validation runs at all."""
    token = bearer(make, world.leader)
    cases = [
        ("anonymous", world.open, {}, 401),
        ("hidden problem", world.draft, {"Authorization": token}, 404),
        ("closed problem", world.closed, {"Authorization": token}, 403),
        ("no validation inputs", world.open, {"Authorization": token}, 409),
    ]
    for name, problem, headers, expected in cases:
        path = f"/api/v1/problems/{problem.id}/validation-runs"
        answer = site.send_partly("POST", path, 100 * MiB, **headers)
        assert answer.status == expected, (name, answer)
        assert site.staged() == [], name
    cookie = session_cookie(site, world.leader)
    page = f"/c/{world.open.competition.slug}/p/{world.open.slug}/validation-runs"
    answer = site.send_partly("POST", page, 100 * MiB, Cookie=cookie)
    assert answer.status == 302 and site.staged() == []


def test_every_api_operation_that_takes_files_is_checked_before_its_body(app):
    """A new upload endpoint without a check of its own would read its body first."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    unchecked = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue  # the path's parameters
            if "multipart/form-data" not in operation.get("requestBody", {}).get("content", {}):
                continue
            endpoint = next(r.endpoint for r in app.url_map.iter_rules()
                            if re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) == path
                            and method.upper() in r.methods)  # fmt: skip
            if not hasattr(app.view_functions[endpoint], "judge_checked_first"):
                unchecked.append(f"{method.upper()} {path}")
    assert unchecked == []
