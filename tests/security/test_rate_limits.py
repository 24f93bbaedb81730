"""Password guessing and mass sign-ups are slowed down: 10 a minute, then 429 with Retry-After."""

from __future__ import annotations

import time

import limits.storage.memory
import pytest

from judge import create_app
from tests.conftest import PASSWORD, _config


class Clock:
    """The rate-limit store's clock, moved by hand (the limits library reads time.time())."""

    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(time.time())
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    return fake


def login(client, email: str, ip: str, password: str = "wrong password"):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def token(client, email: str, ip: str, password: str = "wrong password"):
    return client.post(
        "/api/v1/tokens",
        json={"email": email, "password": password, "name": "laptop"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_the_eleventh_login_in_a_minute_is_refused(client, make, clock):
    user = make.user()
    for _ in range(10):
        assert login(client, user.email, "10.1.1.1").status_code == 200  # wrong password
    refused = login(client, user.email, "10.1.1.1", PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts. Please wait a minute" in refused.text
    assert 'name="password"' not in refused.text  # the attempt was not even looked at
    assert "_user_id" not in refused.headers.get("Set-Cookie", "")


def test_another_address_and_account_are_not_refused(client, make, clock):
    guessed, other = make.user(), make.user()
    for _ in range(11):
        login(client, guessed.email, "10.1.1.3")
    assert login(client, guessed.email, "10.1.1.3").status_code == 429
    response = login(client, other.email, "10.9.9.9", PASSWORD)
    assert response.status_code == 302  # logged in


def test_one_account_from_many_addresses_is_refused(client, make, clock):
    user = make.user()
    for n in range(10):
        assert login(client, user.email, f"10.2.0.{n}").status_code == 200
    assert login(client, user.email.upper(), "10.2.1.1", PASSWORD).status_code == 429


def test_the_limit_resets_after_the_window(client, make, clock):
    user = make.user()
    for _ in range(11):
        login(client, user.email, "10.1.1.4")
    assert login(client, user.email, "10.1.1.4", PASSWORD).status_code == 429
    clock.now += 61
    assert login(client, user.email, "10.1.1.4", PASSWORD).status_code == 302


def test_showing_the_login_page_is_not_counted(client, make, clock):
    for _ in range(15):
        assert client.get("/login", environ_base={"REMOTE_ADDR": "10.1.1.5"}).status_code == 200
    user = make.user()
    assert login(client, user.email, "10.1.1.5", PASSWORD).status_code == 302


def test_api_token_creation_answers_429_as_a_json_error(client, make, clock):
    user = make.user()
    for _ in range(10):
        assert token(client, user.email, "10.1.2.1").status_code == 401
    refused = token(client, user.email, "10.1.2.1", PASSWORD)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.get_json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert "token" not in refused.get_json()


def test_web_login_and_token_creation_share_one_budget(client, make, clock):
    user = make.user()
    for n in range(5):
        login(client, user.email, f"10.3.0.{n}")
        token(client, user.email, f"10.3.1.{n}")
    assert token(client, user.email, "10.3.2.1", PASSWORD).status_code == 429


def test_sign_ups_are_limited_per_address(client, clock):
    def register(n: int):
        return client.post(
            "/register",
            data={
                "email": f"new{n}@example.com",
                "name": f"New {n}",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "affiliation": "",
            },
            environ_base={"REMOTE_ADDR": "10.4.0.1"},
        )

    assert all(register(n).status_code in (200, 302) for n in range(10))
    assert register(10).status_code == 429


def test_limits_are_settings(tmp_path, database_url, redis_broker, monkeypatch, clock):
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        _config(tmp_path, database_url, redis_broker) | {"RATELIMIT_LOGIN": "2/minute"}
    )
    client = app.test_client()
    assert [login(client, "a@example.com", "10.5.0.1").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def guesses(client, forwarded_for: list[str]) -> list[int]:
    return [
        client.post(
            "/login",
            data={"email": f"guess{n}@example.com", "password": "nope"},
            headers={"X-Forwarded-For": ip},
            environ_base={"REMOTE_ADDR": "10.6.0.1"},  # the proxy
        ).status_code
        for n, ip in enumerate(forwarded_for)
    ]


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, clock):
    """Without a trusted proxy the header is ignored: every guess comes from one address."""
    assert guesses(client, [f"203.0.113.{n}" for n in range(11)])[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(
    tmp_path, database_url, redis_broker, monkeypatch, clock
):
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(_config(tmp_path, database_url, redis_broker) | {"PROXY_HOPS": 1})
    client = app.test_client()
    assert guesses(client, ["203.0.113.1"] * 11)[-1] == 429
    assert guesses(client, ["203.0.113.2"]) == [200]


def test_successful_logins_do_not_use_up_the_budget(client, make, clock):
    """A class logging in together from one campus address is never refused."""
    people = [make.user() for _ in range(12)]
    answers = [login(client, person.email, "10.7.0.1", PASSWORD).status_code for person in people]
    assert answers == [302] * 12
    for _ in range(10):
        login(client, people[0].email, "10.7.0.1")
    assert login(client, people[1].email, "10.7.0.1", PASSWORD).status_code == 429
