"""Teams and memberships.

One person belongs to at most one team per competition: memberships carry
the competition id (kept equal to the team's by a composite foreign key)
so the database itself enforces the rule.

Teams are never deleted: a team whose last member leaves is disbanded (marked
with ``disbanded_at``) and keeps its submissions for the organizers and the
audit log. Only teams still standing hold their name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.competitions.models import Competition, Division
from judge.core.db import UTCDateTime, enum_column, utcnow
from judge.core.extensions import db


@dataclass(frozen=True)
class Member:
    """One member as a team's pages show them (see ``teams.services.member_view``)."""

    id: int
    name: str
    affiliation: str
    leader: bool


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (
        # Names are unique among the teams still standing; a disbanded team frees its name.
        sa.Index(
            "uq_teams_standing_name",
            "competition_id",
            "name",
            unique=True,
            sqlite_where=sa.text("disbanded_at IS NULL"),
            postgresql_where=sa.text("disbanded_at IS NULL"),
        ),
        sa.UniqueConstraint("id", "competition_id", name="uq_teams_id_competition"),
        sa.CheckConstraint("member_count >= 0", name="member_count_nonnegative"),
        sa.ForeignKeyConstraint(
            ["division_id", "competition_id"],
            ["divisions.id", "divisions.competition_id"],
            name="fk_teams_division_in_competition",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    division_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    invite_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    # Kept equal to len(memberships); joins bump it with a guarded UPDATE so
    # concurrent joins can never pass the competition's team size.
    member_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disbanded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # emptied, or by organizers
    # Disqualified by the organizers: listed for them, off every board and out of the awards.
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disqualified_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # When a worker last took one of the team's submissions: the fair queue serves the team
    # whose turn is oldest (None: never served) first (judge.submissions.turns).
    scoring_turn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship()
    division: Mapped[Division] = relationship(foreign_keys=[division_id], viewonly=True)
    leader: Mapped[User] = relationship(foreign_keys=[leader_id])
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @property
    def members(self) -> list[User]:
        return [m.user for m in self.memberships]

    @property
    def roster(self) -> list[Member]:
        return [Member(u.id, u.name, u.affiliation, u.id == self.leader_id) for u in self.members]

    @property
    def disbanded(self) -> bool:
        return self.disbanded_at is not None

    @property
    def disqualified(self) -> bool:
        return self.disqualified_at is not None


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "user_id", name="uq_memberships_one_team_per_user"),
        sa.ForeignKeyConstraint(
            ["team_id", "competition_id"],
            ["teams.id", "teams.competition_id"],
            name="fk_memberships_team_in_competition",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(index=True)
    competition_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class TeamInvitation(db.Model):
    """A way into a team besides its invite code: a shared link (``email`` None), which
    anyone holding it may use until it expires or is revoked, or a link mailed to one
    address, which works once. Only the SHA-256 of the link's token is stored."""

    __tablename__ = "team_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last acceptance
    uses: Mapped[int] = mapped_column(default=0)

    team: Mapped[Team] = relationship()

    @property
    def single_use(self) -> bool:
        return self.email is not None

    def pending(self, now: datetime) -> bool:
        """Still usable: not revoked, not expired, and (mailed ones) not used."""
        used_up = self.single_use and self.uses > 0
        return self.revoked_at is None and now < self.expires_at and not used_up


class MergeStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class TeamMergeRequest(db.Model):
    """One leader's request that another team merge into theirs (``into_team`` survives,
    ``team`` is absorbed); the other team's leader accepts or declines it."""

    __tablename__ = "team_merge_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    into_team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[MergeStatus] = mapped_column(
        enum_column(MergeStatus, "merge_status"), default=MergeStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    into_team: Mapped[Team] = relationship(foreign_keys=[into_team_id])
    team: Mapped[Team] = relationship(foreign_keys=[team_id])
