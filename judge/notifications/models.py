"""A notification row per person and event, and each person's e-mail choices per kind."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.db import UTCDateTime, enum_column
from judge.core.extensions import db
from judge.notifications.kinds import Kind


class Notification(db.Model):
    """Something one person should hear about.

    ``key`` names the event (``answer:12``); one row per person and event, so a task run
    twice or a repeated call never notifies twice. ``params`` render the line when read.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key"),
        sa.Index("ix_notifications_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "notification_kind"))
    key: Mapped[str] = mapped_column(sa.String(100))
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE")
    )
    problem_id: Mapped[int | None] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    params: Mapped[dict] = mapped_column(sa.JSON)
    link: Mapped[str] = mapped_column(sa.String(300))  # a path on this site
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    competition: Mapped[Competition] = relationship()


class NotificationPreference(db.Model):
    """A person's choice to get (or not) e-mail for one kind; absent: the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "notification_preference_kind"))
    email: Mapped[bool]
