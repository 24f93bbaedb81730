"""One outgoing message: what it says, to whom, and whether it left."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from judge.core.db import UTCDateTime, enum_column
from judge.core.extensions import db


class MailStatus(enum.Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMail(db.Model):
    """A message rendered when it was asked for; the task only sends it.

    ``key`` names the logical message (say, one reset request), so asking twice or a
    re-delivered task never makes or sends a second copy.
    """

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40))
    locale: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, "mail_status"), default=MailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last handed to the queue; None when the broker could not be reached (the sweep retries).
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
