"""A session cookie is only as good as its record on the server: logging out, logging out
everywhere, a password change and an administrator's disable end it, even in a copy an
attacker saved before."""

from __future__ import annotations

from datetime import timedelta

import pytest

import judge.accounts.sessions
from judge.accounts import services
from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import DomainError
from judge.core.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a new horse battery"


def logged_in(app, user, password: str = PASSWORD):
    """A browser of its own (laptop, phone, …) logged in as ``user``."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.text
    return browser


def saved_cookie(browser) -> str:
    return browser.get_cookie("session", domain="judge.test").value


def replay(app, cookie: str):
    """What an attacker holding a copy of the cookie sees on the account page."""
    attacker = app.test_client()
    attacker.set_cookie("session", cookie, domain="judge.test")
    return attacker.get("/account")


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cookie_saved_before_logout_no_longer_opens_the_account(app, make):
    user = make.user()
    browser = logged_in(app, user)
    cookie = saved_cookie(browser)
    assert replay(app, cookie).status_code == 200
    browser.post("/logout")
    assert sent_to_login(replay(app, cookie))
    assert sent_to_login(browser.get("/account"))


def test_logging_out_ends_only_this_browser(app, make):
    user = make.user()
    laptop, phone = logged_in(app, user), logged_in(app, user)
    laptop.post("/logout")
    assert phone.get("/account").status_code == 200


def test_logging_out_everywhere_ends_every_browser(app, make):
    user = make.user()
    laptop, phone = logged_in(app, user), logged_in(app, user)
    page = laptop.get("/account").text
    assert "Log out everywhere" in page
    assert "2 browsers" in page
    assert page.count("This browser") == 1
    response = laptop.post("/logout/everywhere", follow_redirects=True)
    assert "You are logged out on every browser." in response.text
    assert sent_to_login(phone.get("/account"))
    assert sent_to_login(laptop.get("/account"))


def test_a_password_change_ends_every_other_session(app, make):
    user = make.user()
    stolen = saved_cookie(logged_in(app, user))  # the thief's copy, or a forgotten PC
    owner = logged_in(app, user)
    with unit_of_work():
        here = services.sessions_of(user)[0]  # the newest: the owner's browser
        services.change_password(user, PASSWORD, NEW_PASSWORD, keep=here, now=utcnow())
    assert sent_to_login(replay(app, stolen))
    assert owner.get("/account").status_code == 200
    assert (
        app.test_client()
        .post("/login", data={"email": user.email, "password": PASSWORD})
        .status_code
        == 200
    )  # the old password is refused
    logged_in(app, user, NEW_PASSWORD)


def test_a_password_change_needs_the_current_password_and_a_long_new_one(app, make):
    user = make.user()
    browser = logged_in(app, user)
    for current, new, message in [
        ("not my password", NEW_PASSWORD, "The current password is incorrect."),
        (PASSWORD, "short", "The password must be at least 8 characters long."),
    ]:
        with pytest.raises(DomainError, match=message), unit_of_work():
            services.change_password(user, current, new, keep=None, now=utcnow())
    assert browser.get("/account").status_code == 200  # nothing was changed or revoked
    logged_in(app, user)


def test_a_disabled_user_is_logged_out_and_cannot_log_in_or_use_tokens(app, make, runner):
    user = make.user()
    token = make.token(user)
    browser = logged_in(app, user)
    result = runner.invoke(args=["disable-user", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert f"Disabled {user.email}" in result.output
    assert sent_to_login(browser.get("/account"))
    refused = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "This account is disabled." in refused.text
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert api.get_json()["error"]["message"] == "The API token is unknown or revoked."
    created = app.test_client().post(
        "/api/v1/tokens", json={"email": user.email, "password": PASSWORD, "name": "x"}
    )
    assert created.status_code == 401


def test_enabling_a_user_again_restores_logins_but_not_the_revoked_tokens(app, make, runner):
    user = make.user()
    token = make.token(user)
    runner.invoke(args=["disable-user", user.email])
    result = runner.invoke(args=["enable-user", user.email])
    assert result.exit_code == 0, result.output
    logged_in(app, user)
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401  # disabling revoked it: the owner makes a new one
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user_disabled", "user_enabled"]


def test_disabling_an_unknown_address_says_so(runner):
    result = runner.invoke(args=["disable-user", "nobody@example.com"])
    assert result.exit_code == 1
    assert "No user is registered with nobody@example.com." in result.output


def test_the_account_page_shows_when_each_browser_was_last_seen(app, make, monkeypatch):
    user = make.user()
    browser = logged_in(app, user)
    later = utcnow() + timedelta(hours=3)
    monkeypatch.setattr(judge.accounts.sessions, "utcnow", lambda: later)
    browser.get("/account").close()  # noted once the answer is sent (as a server closes it)
    [record] = services.sessions_of(user)
    assert record.last_seen_at == later
