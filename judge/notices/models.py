"""Notices posted by staff, and participants' questions with staff's answers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.db import UTCDateTime
from judge.core.extensions import db
from judge.problems.models import Problem


class Notice(db.Model):
    """A Markdown notice for a whole competition, or for one problem (``problem_id``)."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    problem_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    pinned: Mapped[bool] = mapped_column(default=False)
    emailed: Mapped[bool] = mapped_column(default=False)  # sent to every participant
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship()
    problem: Mapped[Problem | None] = relationship()
    author: Mapped[User] = relationship()


class Question(db.Model):
    """A participant's question; private to the asker and its staff until published."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    problem_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    asker_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship()
    problem: Mapped[Problem | None] = relationship()
    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
