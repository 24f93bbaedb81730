"""Asking for mail and recording what became of it. Services flush, never commit."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from judge.accounts.models import User
from judge.core import queue
from judge.core.extensions import db
from judge.mail.models import MailStatus, OutgoingMail

# Each kind of message: its subject (or a function of the context that makes it, in the
# recipient's language); its bodies are templates/mail/<kind>.txt and .html.
SUBJECTS = {
    "password_reset": _l("Reset your password"),
    "password_changed": _l("Your password was changed"),
    "notification": lambda context: context["describe"](context["notification"]),
    "team_invitation": _l("You are invited to join a team"),
    "staff_invitation": _l("You are invited to help run a competition"),
    "verify_email": _l("Confirm your email address"),
}
ERROR_LENGTH = 300
SUBJECT_LENGTH = 300  # the column's length


def locale_of(user: User | None) -> str:
    """The language a person reads mail in: the one they chose, else the site's default."""
    if user is not None and user.locale in current_app.config["LANGUAGES"]:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def render(kind: str, locale: str, context: dict) -> tuple[str, str, str]:
    """The subject, plain text and HTML of a message, in ``locale``."""
    with force_locale(locale):
        entry = SUBJECTS[kind]
        subject = _one_line(str(entry(context) if callable(entry) else entry))
        text = render_template(f"mail/{kind}.txt", subject=subject, **context)
        html = render_template(f"mail/{kind}.html", subject=subject, locale=locale, **context)
    return subject, text, html


def _one_line(subject: str) -> str:
    """A subject fits its column (a notice's or a question's title may be long) and holds
    no line break (a header cannot)."""
    subject = re.sub(r"\s*[\r\n]+\s*", " ", subject).strip()  # keeps a no-break space
    return subject if len(subject) <= SUBJECT_LENGTH else subject[: SUBJECT_LENGTH - 1] + "…"


def queue_mail(
    recipient: User | str, kind: str, context: dict, key: str, now: datetime
) -> OutgoingMail | None:
    """Record a message for ``recipient`` (a user, or an address in the default language),
    rendered now in their language; None when the message ``key`` was already asked for.

    The workers are handed it when the transaction commits.
    """
    if db.session.scalar(sa.select(OutgoingMail.id).where(OutgoingMail.key == key)):
        return None
    user = recipient if isinstance(recipient, User) else None
    locale = locale_of(user)
    subject, text, html = render(kind, locale, {"user": user, **context})
    record = OutgoingMail(
        key=key,
        recipient=user.email if user else str(recipient),
        user_id=user.id if user else None,
        kind=kind,
        locale=locale,
        subject=subject,
        body_text=text,
        body_html=html,
        status=MailStatus.QUEUED,
        attempts=0,
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    publish_after_commit(record, now)
    return record


def publish_after_commit(record: OutgoingMail, now: datetime) -> None:
    """Hand the message to the workers once this transaction commits; if the broker cannot
    be reached then, the mail sweep hands it over again."""
    record.enqueued_at = now
    unsent = sa.update(OutgoingMail).where(OutgoingMail.id == record.id).values(enqueued_at=None)
    queue.after_commit("judge.mail.send", record.id, unsent=unsent)


def never_handed_over() -> list[OutgoingMail]:
    """Queued messages the broker never took (it was down when they were committed)."""
    query = sa.select(OutgoingMail).where(
        OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.enqueued_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(OutgoingMail.id)))


# A link that opens an account or a role by itself (reset, verification, invitations).
SECRET_LINK = re.compile(
    r"""https?://[^\s"'<>]+/(?:password/reset|verify|invitations/(?:team|staff))/[^\s"'<>]+"""
)
WITHHELD = "[…]"


def withheld(text: str) -> str:
    """``text`` without its one-time links: only the recipient may follow them."""
    return SECRET_LINK.sub(WITHHELD, text)


def shown_to_admins(record: OutgoingMail) -> tuple[str, str]:
    """The plain text and HTML administrators read on the outbox pages. With a mail server
    the one-time links are withheld (an administrator could otherwise take over an account
    through a reset link they sent); without one, the outbox is the mailbox."""
    if not current_app.config["MAIL_SERVER"]:
        return record.body_text, record.body_html
    return withheld(record.body_text), withheld(record.body_html)


def mark_sent(record: OutgoingMail, now: datetime) -> None:
    """Record the message sent; a copy of the database then holds none of its one-time links
    (when it went through a mail server; the outbox folder is the mailbox otherwise)."""
    if current_app.config["MAIL_SERVER"]:
        record.body_text, record.body_html = withheld(record.body_text), withheld(record.body_html)
    record.attempts += 1
    record.status = MailStatus.SENT
    record.sent_at = now
    record.last_error = None
    db.session.flush()


def mark_attempt_failed(record: OutgoingMail, error: str, max_attempts: int) -> bool:
    """Count a failed attempt; True when it may be tried again, False once it has failed."""
    record.attempts += 1
    record.last_error = error[:ERROR_LENGTH]
    if record.attempts >= max_attempts:
        record.status = MailStatus.FAILED
    db.session.flush()
    return record.status is MailStatus.QUEUED


def recent(limit: int = 500) -> list[OutgoingMail]:
    """The newest messages first, for the administrators' outbox page."""
    query = sa.select(OutgoingMail).order_by(OutgoingMail.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def get(mail_id: int) -> OutgoingMail | None:
    return db.session.get(OutgoingMail, mail_id)
