"""Slowing down password guessing without locking the innocent out (OWASP's device cookies).

A failed login or token request is counted for its account *and* its address. A client
without a device cookie for the account is refused, before its password is looked at,
while within LOGIN_WINDOW_SECONDS:

- its address failed LOGIN_MAX_FAILURES times on the account (guessing one account), or
- the account failed LOGIN_MAX_ACCOUNT_FAILURES times from all addresses (a botnet), or
- its address failed on LOGIN_MAX_ADDRESS_ACCOUNTS accounts (spraying).

A successful login gives the client a device cookie for the account, signed by the
server: with it the client is let in with the right password whatever strangers do, so
neither a chosen account nor a shared campus address can be locked out by an attacker.
A device that itself fails LOGIN_MAX_FAILURES times loses that trust for the window.
Sign-ups are counted per address. Counts live where every worker sees them
(judge.core.ratelimit), keyed by digests of emails and addresses.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import Response, current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadData, URLSafeTimedSerializer

from judge.accounts import services
from judge.accounts.models import User
from judge.core.errors import TooManyAttempts, Unauthorized
from judge.core.ratelimit import counter

DEVICE_COOKIE = "device"
DEVICES_KEPT = 5  # accounts one browser is a known device for (a shared family PC)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="judge.device")


def _devices(cookie: str | None) -> dict[str, str]:
    """The signed {account digest: device id} a client holds; nothing if forged or old."""
    if not cookie:
        return {}
    max_age = current_app.config["DEVICE_COOKIE_DAYS"] * 86400
    try:
        pairs = _serializer().loads(cookie, max_age=max_age)
    except BadData:
        return {}
    return dict(pairs) if isinstance(pairs, list) else {}


@dataclass(frozen=True)
class Attempt:
    """Who tries to log in: the account tried, the client's address, and its device id for
    that account (None when it holds no device cookie for it, or lost the device's trust)."""

    account: str
    address: str
    device: str | None
    cookie: str | None

    @classmethod
    def of(cls, email: str, address: str | None, cookie: str | None) -> Attempt:
        account = digest(str(email or "").strip().casefold())
        return cls(account, digest(address or ""), _devices(cookie).get(account), cookie)

    def device_cookie(self) -> str:
        """The client's device cookie after a successful login: a new device id for the
        account, and the other accounts it already knew."""
        known = [(a, d) for a, d in _devices(self.cookie).items() if a != self.account]
        pairs = [(self.account, secrets.token_urlsafe(12)), *known][:DEVICES_KEPT]
        return _serializer().dumps(pairs)


def remember_device(response: Response, attempt: Attempt) -> Response:
    """After a successful login: the client becomes a known device for the account."""
    cfg = current_app.config
    response.set_cookie(
        DEVICE_COOKIE,
        attempt.device_cookie(),
        max_age=cfg["DEVICE_COOKIE_DAYS"] * 86400,
        secure=cfg["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def _minutes(window: timedelta) -> int:
    return -(-int(window.total_seconds()) // 60)


def _refused(window: timedelta) -> TooManyAttempts:
    return TooManyAttempts(
        ngettext(
            "Too many failed attempts. Please wait a minute and try again.",
            "Too many failed attempts. Please wait %(num)d minutes and try again.",
            _minutes(window),
        ),
        retry_after=int(window.total_seconds()),
    )


def _trusted(attempt: Attempt, now: datetime) -> Attempt:
    """The attempt, without its device when that device failed too often itself."""
    cfg, window = current_app.config, _window()
    failures = counter().count(f"login:device:{attempt.device}", now, window)
    return attempt if failures < cfg["LOGIN_MAX_FAILURES"] else replace(attempt, device=None)


def _check(attempt: Attempt, now: datetime) -> Attempt:
    if attempt.device is not None:
        attempt = _trusted(attempt, now)
        if attempt.device is not None:
            return attempt
    cfg, window, count = current_app.config, _window(), counter().count
    if (
        count(f"login:pair:{attempt.account}:{attempt.address}", now, window)
        >= cfg["LOGIN_MAX_FAILURES"]
        or count(f"login:account:{attempt.account}", now, window)
        >= cfg["LOGIN_MAX_ACCOUNT_FAILURES"]
        or count(f"login:address:{attempt.address}", now, window)
        >= cfg["LOGIN_MAX_ADDRESS_ACCOUNTS"]
    ):
        raise _refused(window)
    return attempt


def _count_failure(attempt: Attempt, now: datetime) -> None:
    add, event = counter().add, secrets.token_hex(8)
    add(f"login:account:{attempt.account}", event, now)
    if attempt.device is not None:
        add(f"login:device:{attempt.device}", event, now)
        return
    add(f"login:pair:{attempt.account}:{attempt.address}", event, now)
    add(f"login:address:{attempt.address}", attempt.account, now)  # distinct accounts


def sign_in(attempt: Attempt, email: str, password: str, now: datetime) -> User:
    """The active user with these credentials, for the web login and API token requests.

    TooManyAttempts (429) when this client is locked out of the account, before the
    password is looked at; Unauthorized (the same message for a wrong password and an
    unknown address) after counting the failure.
    """
    attempt = _check(attempt, now)
    user = services.verify_password(email, password)
    if user is None:
        _count_failure(attempt, now)
        raise Unauthorized(_("The email or password is incorrect."))
    return services.require_active(user)


def check_sign_up(address: str | None, now: datetime) -> None:
    """Count a sign-up attempt from ``address``; TooManyAttempts past the address's cap."""
    cfg = current_app.config
    window, key = timedelta(seconds=cfg["SIGNUP_WINDOW_SECONDS"]), f"signup:{digest(address or '')}"
    if counter().count(key, now, window) >= cfg["SIGNUP_MAX_PER_ADDRESS"]:
        raise TooManyAttempts(
            ngettext(
                "Too many sign-ups from this network. Please wait a minute and try again.",
                "Too many sign-ups from this network. Please wait %(num)d minutes and try again.",
                _minutes(window),
            ),
            retry_after=int(window.total_seconds()),
        )
    counter().add(key, secrets.token_hex(8), now)
