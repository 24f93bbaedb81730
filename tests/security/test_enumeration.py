"""Whether an address has an account is not told by sign-up, login or token answers, nor
by how long they take: an unknown account costs the same password hashing as a known one."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

import pytest

from judge import create_app
from judge.accounts.models import User
from judge.core.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, _config
from tests.factories import Factories

# Slow enough that hashing dominates a request (the tests' usual 1000 rounds do not).
SLOW_HASH = "pbkdf2:sha256:150000"
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def sign_up(client, email: str, name: str = "Newcomer", ip: str = "10.20.0.1"):
    return client.post(
        "/register",
        data={"email": email, "name": name, "password": "another good one",
              "confirm": "another good one", "affiliation": "", "agree_privacy": "y"},
        environ_base={"REMOTE_ADDR": ip},
    )  # fmt: skip


def test_sign_up_answers_the_same_for_a_taken_and_a_new_address(app, make):
    taken = make.user("taken@example.com", name="Original Owner")
    answers = []
    for email in ("TAKEN@example.com", "fresh@example.com"):
        browser = app.test_client()
        response = sign_up(browser, email)
        page = CSRF.sub("", browser.get(response.headers["Location"]).text)  # per browser
        assert browser.get("/account").status_code == 302  # nobody was logged in
        answers.append(
            (response.status_code, response.headers["Location"], page.replace(email, "X"))
        )
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert "log in" in answers[0][2]
    assert "already" not in answers[0][2]
    db.session.refresh(taken)
    assert taken.name == "Original Owner"  # the owner's account is untouched
    assert db.session.scalar(db.select(User).where(User.email == "fresh@example.com"))


def test_the_new_account_logs_in_with_its_password(client):
    sign_up(client, "fresh@example.com")
    page = client.get("/login").text
    assert 'value="fresh@example.com"' in page  # the address is filled in for them
    response = client.post(
        "/login", data={"email": "fresh@example.com", "password": "another good one"}
    )
    assert response.status_code == 302


def test_sign_up_checks_the_form_before_the_address(client, make):
    """A taken address with a short password gets the same complaint as a new one."""
    make.user("taken@example.com")
    answers = []
    for email in ("taken@example.com", "fresh@example.com"):
        response = client.post(
            "/register",
            data={"email": email, "name": "X", "password": "short", "confirm": "short"},
        )
        answers.append((response.status_code, "at least 8 characters" in response.text))
    assert answers == [(200, True), (200, True)]


def test_login_and_token_failures_say_the_same_for_unknown_and_known_addresses(client, make):
    user = make.user()
    pages = [
        client.post("/login", data={"email": email, "password": "wrong password"}).text
        for email in (user.email, "nobody@example.com")
    ]
    # the CSRF token is signed with the second it was made: two requests may straddle one
    pages = [re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "CSRF", page) for page in pages]
    assert pages[0].replace(user.email, "X") == pages[1].replace("nobody@example.com", "X")
    answers = [
        client.post(
            "/api/v1/tokens", json={"email": email, "password": "wrong password", "name": "x"}
        )
        for email in (user.email, "nobody@example.com")
    ]
    assert [a.status_code for a in answers] == [401, 401]
    assert answers[0].get_json() == answers[1].get_json()


@pytest.fixture
def slow_app(tmp_path, database_url, redis_broker, monkeypatch):
    """An app hashing passwords slowly, and the only app of the test (its users too)."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        _config(tmp_path, database_url, redis_broker) | {"PASSWORD_HASH_METHOD": SLOW_HASH}
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def slow_client(slow_app):
    return slow_app.test_client()


@pytest.fixture
def slow_make(slow_app):
    return Factories(PASSWORD)


def median_seconds(attempt: Callable[[int], object], tries: int = 9) -> float:
    durations = []
    for n in range(tries):
        start = time.perf_counter()
        attempt(n)
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def similar(unknown: float, known: float) -> bool:
    """Within a factor of two (without the fix, unknown was about 1/15 of known)."""
    return 0.5 <= unknown / known <= 2


def test_a_token_request_for_an_unknown_account_takes_as_long_as_for_a_known_one(
    slow_client, slow_make
):
    user = slow_make.user()

    def token(email: str, n: int):
        response = slow_client.post(
            "/api/v1/tokens",
            json={"email": email, "password": "wrong password", "name": "x"},
            environ_base={"REMOTE_ADDR": f"10.21.0.{n}"},
        )
        assert response.status_code == 401

    known = median_seconds(lambda n: token(user.email, n))
    unknown = median_seconds(lambda n: token(f"nobody{n}@example.com", n))
    assert similar(unknown, known), (unknown, known)


def test_a_login_for_an_unknown_account_takes_as_long_as_for_a_known_one(slow_client, slow_make):
    user = slow_make.user()

    def login(email: str, n: int):
        response = slow_client.post(
            "/login",
            data={"email": email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.22.0.{n}"},
        )
        assert response.status_code == 200

    known = median_seconds(lambda n: login(user.email, n))
    unknown = median_seconds(lambda n: login(f"nobody{n}@example.com", n))
    assert similar(unknown, known), (unknown, known)


def test_signing_up_with_a_taken_address_takes_as_long_as_with_a_new_one(slow_client, slow_make):
    slow_make.user("taken@example.com")
    taken = median_seconds(lambda n: sign_up(slow_client, "taken@example.com", ip=f"10.23.0.{n}"))
    new = median_seconds(lambda n: sign_up(slow_client, f"new{n}@example.com", ip=f"10.24.0.{n}"))
    assert similar(taken, new), (taken, new)
