"""Showing that an address belongs to its owner: a one-time link by mail that expires.

The link carries the account's id and a fingerprint of its address: it stops working after
EMAIL_VERIFY_SECONDS, once the address is verified, and if the address changes. A new
link is sent at most once per EMAIL_VERIFY_RESEND_SECONDS; asking sooner answers the same.
Services flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from judge.accounts import links
from judge.accounts.models import User
from judge.audit import log as audit
from judge.core import tokens
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.mail import services as mail
from judge.mail.models import OutgoingMail

VERIFY = links.LinkKind("judge.verify-email", "EMAIL_VERIFY_SECONDS")
KIND = "verify_email"


def _sent_lately(user: User, now: datetime) -> bool:
    interval = timedelta(seconds=current_app.config["EMAIL_VERIFY_RESEND_SECONDS"])
    return (
        db.session.scalar(
            sa.select(OutgoingMail.id)
            .where(
                OutgoingMail.user_id == user.id,
                OutgoingMail.kind == KIND,
                OutgoingMail.created_at > now - interval,
            )
            .limit(1)
        )
        is not None
    )


def request_verification(user: User, now: datetime) -> OutgoingMail | None:
    """Queue a verification link for ``user``'s address; None when it is verified already
    or a link was sent within the resend interval."""
    if user.email_verified or _sent_lately(user, now):
        return None
    token = VERIFY.token(user.id, user.email)
    context = {"link": tokens.absolute_url("accounts.verify_email", token=token)}
    context["hours"] = -(-VERIFY.seconds() // 3600)
    return mail.queue_mail(user, KIND, context, links.mail_key(KIND, f"{token}@{now}"), now)


def verify(token: str, now: datetime) -> User:
    """Mark the address a link was sent to as verified (audited); Invalid with the reason
    when the link is forged, expired, for an address since changed, or already used."""
    user, mark = VERIFY.load(token)
    if mark != links.fingerprint(user.email):
        raise Invalid(links.not_valid())
    if user.email_verified:
        raise Invalid(_("This link was already used: your address is verified. Please log in."))
    user.email_verified_at = now
    db.session.flush()
    audit.record(user, "email_verified", None, user.email, {"verified": False}, {"verified": True})
    return user
