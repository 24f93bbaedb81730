"""Competitions and what hangs directly on them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.core.db import UTCDateTime, enum_column, utcnow
from judge.core.extensions import db


class CompetitionState(enum.StrEnum):
    """A draft is seen by its staff only; published is public; archived is public by its
    address but off the index, and read-only for teams."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Competition(db.Model):
    __tablename__ = "competitions"
    __table_args__ = (
        sa.CheckConstraint("max_team_size >= 1", name="max_team_size_positive"),
        sa.CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL"
            " OR registration_closes_at > registration_opens_at",
            name="registration_order",
        ),
        sa.CheckConstraint(
            "submissions_close_at IS NULL OR submissions_open_at IS NULL"
            " OR submissions_close_at > submissions_open_at",
            name="submission_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    rules: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Seoul")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    team_change_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_team_size: Mapped[int] = mapped_column(default=5)
    state: Mapped[CompetitionState] = mapped_column(
        enum_column(CompetitionState, "competition_state"), default=CompetitionState.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    divisions: Mapped[list[Division]] = relationship(
        back_populates="competition", order_by="Division.id", cascade="all, delete-orphan"
    )
    sponsors: Mapped[list[Sponsor]] = relationship(
        back_populates="competition", order_by="Sponsor.id", cascade="all, delete-orphan"
    )
    roles: Mapped[list[CompetitionRole]] = relationship(
        back_populates="competition", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Competition {self.slug}>"


class Division(db.Model):
    """A track such as 대학원 (graduate) or 학부 (undergraduate), ranked and awarded apart."""

    __tablename__ = "divisions"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "name"),
        sa.UniqueConstraint("id", "competition_id", name="uq_divisions_id_competition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    eligibility: Mapped[str] = mapped_column(sa.Text, default="")

    competition: Mapped[Competition] = relationship(back_populates="divisions")


class Sponsor(db.Model):
    """A company posing problems in one competition."""

    __tablename__ = "sponsors"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "name"),
        sa.UniqueConstraint("id", "competition_id", name="uq_sponsors_id_competition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    competition: Mapped[Competition] = relationship(back_populates="sponsors")
    members: Mapped[list[SponsorMember]] = relationship(
        back_populates="sponsor", cascade="all, delete-orphan"
    )


class SponsorMember(db.Model):
    __tablename__ = "sponsor_members"
    __table_args__ = (sa.UniqueConstraint("sponsor_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsor_id: Mapped[int] = mapped_column(sa.ForeignKey("sponsors.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sponsor: Mapped[Sponsor] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Role(enum.StrEnum):
    ORGANIZER = "organizer"
    JUDGE = "judge"


class CompetitionRole(db.Model):
    """An organizer or a judge of one competition (sponsor members have their own table)."""

    __tablename__ = "competition_roles"
    __table_args__ = (sa.UniqueConstraint("competition_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="roles")
    user: Mapped[User] = relationship()


class RulesAcceptance(db.Model):
    """A participant's acceptance of a competition's rules (needed to download data)."""

    __tablename__ = "rules_acceptances"
    __table_args__ = (sa.UniqueConstraint("competition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffInvitation(db.Model):
    """A role (organizer or judge) or a sponsor's membership offered to an address that has
    no verified account: granted when the verified owner of that address accepts it. Only
    the SHA-256 of the link's token is stored."""

    __tablename__ = "staff_invitations"
    __table_args__ = (
        sa.CheckConstraint(
            "(role IS NULL AND sponsor_id IS NOT NULL)"
            " OR (role IS NOT NULL AND sponsor_id IS NULL)",
            name="role_or_sponsor",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[Role | None] = mapped_column(enum_column(Role, "staff_role"))
    sponsor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sponsors.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    competition: Mapped[Competition] = relationship()
    sponsor: Mapped[Sponsor | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    def pending(self, now: datetime) -> bool:
        return self.revoked_at is None and self.accepted_at is None and now < self.expires_at


class CompetitionConsent(db.Model):
    """One version of a competition's own consent text (e.g. a sponsor's data-use terms),
    in each language. A version people accepted is never rewritten: editing adds the next."""

    __tablename__ = "competition_consents"
    __table_args__ = (sa.UniqueConstraint("competition_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    text_ko: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def text(self, locale: str | None) -> str:
        return self.text_ko if locale == "ko" else self.text_en


class CompetitionConsentAcceptance(db.Model):
    """A participant's acceptance of one version of a competition's consent text, and when;
    acceptances of older versions are kept."""

    __tablename__ = "competition_consent_acceptances"
    __table_args__ = (sa.UniqueConstraint("consent_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_consents.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    consent: Mapped[CompetitionConsent] = relationship()


class ParticipantField(db.Model):
    """Something a competition asks each participant (e.g. school, student ID), required or
    optional, for everyone or only for one division. Removed fields are kept with their
    answers."""

    __tablename__ = "participant_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    label_ko: Mapped[str] = mapped_column(sa.String(100))
    label_en: Mapped[str] = mapped_column(sa.String(100))
    required: Mapped[bool]
    division_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("divisions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    division: Mapped[Division | None] = relationship()

    def label(self, locale: str | None) -> str:
        return self.label_ko if locale == "ko" else self.label_en


class ParticipantAnswer(db.Model):
    """One participant's answer to one field, with the time they confirmed it is true; the
    rows an export of participants reads."""

    __tablename__ = "participant_answers"
    __table_args__ = (sa.UniqueConstraint("field_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_fields.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(sa.String(200))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    field: Mapped[ParticipantField] = relationship()
