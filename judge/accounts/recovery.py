"""Forgotten passwords: a one-time link by mail that expires.

The link carries the account's id and a fingerprint of its current password hash,
signed with the secret key: it stops working after PASSWORD_RESET_SECONDS, and once any
new password is set (by this link or otherwise). Asking for a link answers the same and
does the same token and rendering work whether or not the address has an account.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from judge.accounts import links, services, throttle
from judge.accounts.models import User
from judge.audit import log as audit
from judge.core import tokens
from judge.core.errors import Conflict, Invalid, TooManyAttempts
from judge.core.ratelimit import counter
from judge.mail import services as mail
from judge.mail.models import OutgoingMail

RESET = links.LinkKind("judge.password-reset", "PASSWORD_RESET_SECONDS")


def check_request(email: str, address: str | None, now: datetime) -> None:
    """Count a reset request for the typed address and from the network address;
    TooManyAttempts past either cap (the same for addresses with and without accounts)."""
    cfg = current_app.config
    window = timedelta(seconds=cfg["PASSWORD_RESET_WINDOW_SECONDS"])
    account, network = throttle.digest(email.strip().casefold()), throttle.digest(address or "")
    keys = {
        f"reset:account:{account}": "PASSWORD_RESET_MAX_PER_ACCOUNT",
        f"reset:address:{network}": "PASSWORD_RESET_MAX_PER_ADDRESS",
    }
    for key, limit in keys.items():
        if counter().count(key, now, window) >= cfg[limit]:
            minutes = -(-int(window.total_seconds()) // 60)
            raise TooManyAttempts(
                ngettext(
                    "Too many password reset requests. Please wait a minute and try again.",
                    "Too many password reset requests. Please wait %(num)d minutes and try again.",
                    minutes,
                ),
                retry_after=int(window.total_seconds()),
            )
    event = secrets.token_hex(8)
    for key in keys:
        counter().add(key, event, now)


def request_reset(email: str, now: datetime) -> OutgoingMail | None:
    """Queue a reset link for the account with this address, if there is one.

    For an unknown address the same token is made and the same mail rendered (to no
    one), so neither the answer nor the work done tells whether the address has an account.
    """
    user = services.user_by_email(email)
    stand_in = User(email="nobody@invalid", name="", password_hash="", locale=None)
    target = user if user is not None and user.is_active else stand_in
    token, context = _reset_link(target)
    if target is stand_in:
        mail.render("password_reset", mail.locale_of(None), {"user": stand_in, **context})
        return None
    return mail.queue_mail(
        target, "password_reset", context, links.mail_key("password_reset", token), now
    )


def _reset_link(user: User) -> tuple[str, dict]:
    token = RESET.token(user.id or 0, user.password_hash)
    return token, {
        "link": tokens.absolute_url("accounts.reset_password", token=token),
        "minutes": RESET.minutes(),
    }


def send_reset_for(user: User, actor: User, now: datetime) -> OutgoingMail | None:
    """An administrator sends ``user`` a reset link (audited); only the owner sees the link."""
    if not user.is_active:
        raise Conflict(_("A disabled or deleted account cannot reset its password."))
    token, context = _reset_link(user)
    audit.record(actor, "password_reset_sent", None, user.email)
    return mail.queue_mail(
        user, "password_reset", context, links.mail_key("password_reset", token), now
    )


def user_for_token(token: str) -> User:
    """The account a reset link is for; Invalid with the reason when it is forged,
    expired, or already used (the password changed since it was sent)."""
    user, mark = RESET.load(token)
    if mark != links.fingerprint(user.password_hash):
        raise Invalid(_("This link was already used. Please ask for a new one if you need it."))
    return user


def reset_password(token: str, new: str, now: datetime) -> OutgoingMail | None:
    """Set a new password through a reset link: every session and API token of the account
    ends, and the owner is told by mail."""
    user = user_for_token(token)
    services.set_password(user, new, now)
    return password_changed_mail(user, now)


def password_changed_mail(user: User, now: datetime) -> OutgoingMail | None:
    """Queue "your password was changed" for the owner, with a way back in."""
    context = {"link": tokens.absolute_url("accounts.forgot_password")}
    key = links.mail_key("password_changed", user.password_hash)
    return mail.queue_mail(user, "password_changed", context, key, now)
