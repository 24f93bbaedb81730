"""Reading what people were told: rows, recorded mail, and mail that arrived."""

from __future__ import annotations

import sqlalchemy as sa

from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from judge.mail.tasks import send_mail_task
from judge.notifications.models import Notification


def told(user, kind=None) -> list[Notification]:
    db.session.expire_all()
    query = sa.select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def mails(user) -> list[OutgoingMail]:
    query = sa.select(OutgoingMail).where(OutgoingMail.user_id == user.id)
    return list(db.session.scalars(query.order_by(OutgoingMail.id)))


def deliver() -> None:
    """What the mail workers do once the transaction has committed."""
    for mail_id in db.session.scalars(sa.select(OutgoingMail.id)):
        send_mail_task.apply(args=(mail_id,))


def set_locale(user, locale: str) -> None:
    with unit_of_work():
        db.session.merge(user).locale = locale


def received(inbox, user, about: str = "") -> list:
    """The messages that reached ``user``'s address (whose subject has ``about``)."""
    return [m for m in inbox.messages if m["To"] == user.email and about in m["Subject"]]


def told_only(people, kind, everyone) -> None:
    """``people`` were told about ``kind`` exactly once each; the rest of ``everyone`` never."""
    for person in everyone:
        expected = 1 if person in people else 0
        assert len(told(person, kind)) == expected, (person.name, kind)
