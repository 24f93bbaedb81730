"""Users, their logged-in sessions and their personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.core.db import UTCDateTime, enum_column, utcnow
from judge.core.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # What the person typed; ``name`` is what pages show (a neutral name once deleted).
    given_name: Mapped[str] = mapped_column("name", sa.String(100))
    affiliation: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the owner followed a verification link (or an administrator created the account).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the owner deleted the account: personal data is gone, the records stay.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @hybrid_property
    def name(self) -> str:
        """The display name, in the reader's language for a deleted account."""
        if self.deleted_at is not None:
            return _("Deleted user #%(id)d", id=self.id)
        return self.given_name

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.given_name = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls) -> sa.ColumnElement[str]:
        return cls.given_name

    @property
    def is_active(self) -> bool:
        """Flask-Login logs in only active users; a disabled or deleted one has no session
        or token."""
        return self.disabled_at is None and self.deleted_at is None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class UserSession(db.Model):
    """One logged-in browser. Its cookie carries a random id, of which only the SHA-256 is
    stored; the cookie opens pages only while this record is live."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ConsentKind(enum.StrEnum):
    PRIVACY = "privacy"  # 개인정보 수집·이용: required to have an account
    MARKETING = "marketing"  # news and sharing with sponsors: optional


class ConsentDocument(db.Model):
    """One published version of a site-wide consent text, in each language; the newest
    version in effect is the one people are asked to accept."""

    __tablename__ = "consent_documents"
    __table_args__ = (sa.UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    version: Mapped[int]
    text_ko: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def required(self) -> bool:
        return self.kind is ConsentKind.PRIVACY

    def text(self, locale: str | None) -> str:
        return self.text_ko if locale == "ko" else self.text_en


class ConsentDecision(db.Model):
    """A person's answer to one version of a consent text: accepted, or (for an optional
    one) declined, and when."""

    __tablename__ = "consent_decisions"
    __table_args__ = (sa.UniqueConstraint("user_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("consent_documents.id"), index=True)
    accepted: Mapped[bool]
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)

    document: Mapped[ConsentDocument] = relationship()
