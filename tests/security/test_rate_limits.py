"""Password guessing is slowed down without locking the innocent out.

Failed logins and token requests are counted per account *and* address: ten from one
address lock that address out of that account for a while, but the owner still gets in
from another address, and from a browser or client that logged in to the account before
(its device cookie) even while the account is attacked from everywhere. One address may
fail on many accounts only up to a cap (spraying), high enough for a class behind one
campus address. Sign-ups are capped per address, also high enough for a class.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import judge.accounts.views
import judge.api.tokens
from judge import create_app
from judge.core.db import utcnow
from tests.conftest import PASSWORD, IsolatedClient, _config
from tests.factories import Factories

NAT = "10.1.1.1"  # a campus address shared by a whole class


class Clock:
    """The time the login views read, moved by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    for module in (judge.accounts.views, judge.api.tokens):
        monkeypatch.setattr(module, "utcnow", fake)
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


def guess(client, email: str, ip: str, times: int = 10) -> None:
    for _ in range(times):
        assert login(client, email, ip).status_code == 200  # the wrong password, said so


def refused(response) -> bool:
    return response.status_code == 429


def test_ten_wrong_passwords_lock_that_address_out_of_the_account(client, make, clock):
    user = make.user()
    guess(client, user.email, NAT)
    answer = login(client, user.email, NAT, PASSWORD)  # even the right one, from there
    assert refused(answer)
    assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed attempts" in answer.text
    assert 'name="password"' not in answer.text  # the attempt was not even looked at
    assert "session" not in answer.headers.get("Set-Cookie", "")


def test_the_owner_still_gets_in_from_another_address(app, make, clock):
    user = make.user()
    guess(app.test_client(), user.email, "10.1.1.2")
    assert login(app.test_client(), user.email, "10.9.9.9", PASSWORD).status_code == 302


def test_a_classmate_behind_the_same_address_still_gets_in(app, make, clock):
    victim, classmate = make.user(), make.user()
    guess(app.test_client(), victim.email, NAT)
    assert login(app.test_client(), classmate.email, NAT, PASSWORD).status_code == 302


def test_the_owner_gets_in_on_a_known_device_while_attacked_from_everywhere(app, make, clock):
    """Guesses from many addresses lock the account for every new browser, not the owner's."""
    user = make.user()
    laptop = app.test_client()
    assert login(laptop, user.email, NAT, PASSWORD).status_code == 302  # the device cookie
    laptop.post("/logout")
    attacker = app.test_client()
    limit = app.config["LOGIN_MAX_ACCOUNT_FAILURES"]
    for n in range(limit):
        login(attacker, user.email, f"10.2.{n // 250}.{n % 250}")
    assert refused(login(app.test_client(), user.email, "10.9.9.9", PASSWORD))
    assert refused(login(attacker, user.email, NAT, PASSWORD))  # same address, no device cookie
    assert login(laptop, user.email, NAT, PASSWORD).status_code == 302


def test_the_device_cookie_of_another_account_earns_no_trust(app, make, clock):
    """An attacker who logs in to an account of their own may not guess someone else's."""
    own, victim = make.user(), make.user()
    attacker = app.test_client()
    assert login(attacker, own.email, NAT, PASSWORD).status_code == 302
    attacker.post("/logout")
    guess(attacker, victim.email, NAT)
    assert refused(login(attacker, victim.email, NAT, PASSWORD))


def test_a_known_device_that_keeps_guessing_loses_its_trust(app, make, clock):
    user = make.user()
    laptop = app.test_client()
    assert login(laptop, user.email, NAT, PASSWORD).status_code == 302
    laptop.post("/logout")
    guess(laptop, user.email, NAT)  # a stolen laptop, say
    guess(laptop, user.email, "10.1.1.9")  # then untrusted, from another address: 10 more
    assert refused(login(laptop, user.email, "10.1.1.9", PASSWORD))


def test_a_forged_device_cookie_earns_no_trust(app, make, clock):
    user = make.user()
    attacker = app.test_client()
    attacker.set_cookie("device", "forged.cookie", domain="judge.test")
    guess(attacker, user.email, NAT)
    assert refused(login(attacker, user.email, NAT, PASSWORD))


def test_a_class_behind_one_address_logs_in_despite_typos(app, make, clock):
    students = [make.user() for _ in range(100)]
    for student in students:
        browser = app.test_client()
        assert login(browser, student.email, NAT).status_code == 200  # a typo
        assert login(browser, student.email, NAT, PASSWORD).status_code == 302


def test_one_address_spraying_many_accounts_is_refused(app, client, make, clock):
    for n in range(app.config["LOGIN_MAX_ADDRESS_ACCOUNTS"]):
        assert login(client, f"someone{n}@example.com", "10.3.0.1").status_code == 200
    user = make.user()
    assert refused(login(client, user.email, "10.3.0.1", PASSWORD))
    assert login(client, user.email, "10.3.0.2", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_window(client, make, clock):
    user = make.user()
    guess(client, user.email, NAT)
    assert refused(login(client, user.email, NAT, PASSWORD))
    clock.now += timedelta(minutes=14)
    assert refused(login(client, user.email, NAT, PASSWORD))
    clock.now += timedelta(minutes=2)
    assert login(client, user.email, NAT, PASSWORD).status_code == 302


def test_showing_the_login_page_is_not_counted(client, make, clock):
    for _ in range(15):
        assert client.get("/login", environ_base={"REMOTE_ADDR": NAT}).status_code == 200
    user = make.user()
    assert login(client, user.email, NAT, PASSWORD).status_code == 302


def test_api_token_requests_follow_the_same_rules_in_json(app, make, clock):
    user = make.user()
    cli = app.test_client()
    assert token(cli, user.email, NAT, PASSWORD).status_code == 201  # the device cookie
    attacker = app.test_client()
    for _ in range(10):
        assert token(attacker, user.email, NAT).status_code == 401
    answer = token(attacker, user.email, NAT, PASSWORD)
    assert refused(answer)
    assert answer.get_json()["error"]["code"] == "rate_limited"
    assert answer.get_json()["error"]["message"]
    assert int(answer.headers["Retry-After"]) > 0
    assert token(app.test_client(), user.email, "10.9.9.9", PASSWORD).status_code == 201
    assert token(cli, user.email, NAT, PASSWORD).status_code == 201


def test_web_login_and_token_requests_share_one_budget(client, make, clock):
    user = make.user()
    for _ in range(5):
        login(client, user.email, NAT)
        token(client, user.email, NAT)
    assert refused(token(client, user.email, NAT, PASSWORD))
    assert refused(login(client, user.email, NAT, PASSWORD))


def register(client, n: int, ip: str = NAT):
    return client.post(
        "/register",
        data={"email": f"new{n}@example.com", "name": f"New {n}", "password": PASSWORD,
              "confirm": PASSWORD, "affiliation": "", "agree_privacy": "y"},
        environ_base={"REMOTE_ADDR": ip},
    )  # fmt: skip


def test_a_class_signs_up_from_one_address(client, clock):
    assert all(register(client, n).status_code == 302 for n in range(100))


@pytest.fixture
def strict(tmp_path, database_url, redis_broker, monkeypatch):
    """An app whose limits are settings of a deployment: 2 failures, 3 sign-ups, counted in
    the database (PostgreSQL in the production pass, whose other apps count in Redis)."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    limits = {"LOGIN_MAX_FAILURES": 2, "SIGNUP_MAX_PER_ADDRESS": 3, "PROXY_HOPS": 1,
              "RATELIMIT_STORAGE_URI": None}  # fmt: skip
    app = create_app(_config(tmp_path, database_url, redis_broker) | limits)
    app.test_client_class = IsolatedClient
    return app


def test_limits_are_settings(strict, clock):
    with strict.app_context():
        user = Factories(PASSWORD).user()
        client = strict.test_client()
        assert [refused(login(client, user.email, NAT)) for _ in range(3)] == [False, False, True]
        signups = [register(client, n, "10.4.0.1").status_code for n in range(4)]
        assert signups == [302, 302, 302, 429]
        assert "Too many sign-ups" in register(client, 9, "10.4.0.1").text


def guesses(client, forwarded_for: list[str]) -> list[int]:
    return [
        client.post(
            "/login",
            data={"email": "guess@example.com", "password": "nope"},
            headers={"X-Forwarded-For": ip},
            environ_base={"REMOTE_ADDR": "10.6.0.1"},  # the proxy
        ).status_code
        for ip in forwarded_for
    ]


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, clock):
    """Without a trusted proxy the header is ignored: every guess comes from one address."""
    assert guesses(client, [f"203.0.113.{n}" for n in range(11)])[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(strict, clock):
    with strict.app_context():
        client = strict.test_client()
        assert guesses(client, ["203.0.113.1"] * 3)[-1] == 429
        assert guesses(client, ["203.0.113.2"]) == [200]
