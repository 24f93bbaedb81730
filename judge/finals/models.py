"""Stage two's rows: settings, finalists, the rubric, judges' scores, award tiers, awards."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.core.db import UTCDateTime, utcnow
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.teams.models import Team


class FinalsSettings(db.Model):
    """How one competition's finals run (one row per competition, made on first use)."""

    __tablename__ = "finals_settings"
    __table_args__ = (
        sa.CheckConstraint("quantitative_weight >= 0 AND quantitative_weight <= 1",
                           name="weight_between_0_and_1"),
        sa.CheckConstraint("finalists_per_division >= 1", name="finalists_positive"),
    )  # fmt: skip

    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    finalists_per_division: Mapped[int] = mapped_column(default=5)
    uploads_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_upload_mb: Mapped[int] = mapped_column(default=50)
    aggregation: Mapped[str] = mapped_column(sa.String(20), default="mean")
    trim: Mapped[float] = mapped_column(default=0.2)
    quantitative_weight: Mapped[float] = mapped_column(default=0.2)
    formula: Mapped[str] = mapped_column(sa.String(20), default="rank")
    exponent: Mapped[float] = mapped_column(default=1.0)
    bootstrap_resamples: Mapped[int] = mapped_column(default=1000)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Teams read their judges' comments once the results are published, if the organizer says.
    comments_to_teams: Mapped[bool] = mapped_column(default=False)


class Reproduction(enum.StrEnum):
    NOT_NEEDED = "not_needed"  # a prediction-file problem: nothing to re-run
    PENDING = "pending"
    REPRODUCED = "reproduced"
    FAILED = "failed"


class Finalist(db.Model):
    """A shortlisted team on one problem, with what stage two learns about it."""

    __tablename__ = "finalists"
    __table_args__ = (sa.UniqueConstraint("problem_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    division_id: Mapped[int] = mapped_column(sa.ForeignKey("divisions.id", ondelete="CASCADE"))
    private_rank: Mapped[int]  # on the private board of its division when shortlisted
    private_score: Mapped[float | None]
    shortlisted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    report_key: Mapped[str | None] = mapped_column(sa.String(64))
    report_filename: Mapped[str | None] = mapped_column(sa.String(255))
    code_key: Mapped[str | None] = mapped_column(sa.String(64))
    code_filename: Mapped[str | None] = mapped_column(sa.String(255))
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reproduction: Mapped[str] = mapped_column(sa.String(20), default=Reproduction.NOT_NEEDED)
    reproduction_note: Mapped[str] = mapped_column(sa.Text, default="")
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")
    disqualified_reason: Mapped[str] = mapped_column(sa.Text, default="")
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    problem: Mapped[Problem] = relationship()
    team: Mapped[Team] = relationship()

    @property
    def disqualified(self) -> bool:
        return self.disqualified_at is not None

    @property
    def may_win(self) -> bool:
        """Neither it nor its team disqualified, and reproduced unless that is not needed or
        was overridden."""
        blocked = self.reproduction == Reproduction.FAILED and not self.override_reason
        return not self.disqualified and not self.team.disqualified and not blocked


class Criterion(db.Model):
    """One weighted line of a competition's rubric, e.g. 기술성 (technical), 50 points."""

    __tablename__ = "rubric_criteria"
    __table_args__ = (
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("max_points > 0", name="max_points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[float]
    max_points: Mapped[float] = mapped_column(default=10.0)


class JudgeScore(db.Model):
    """A judge's points for one finalist on one criterion."""

    __tablename__ = "judge_scores"
    __table_args__ = (sa.UniqueConstraint("finalist_id", "judge_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finalist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("finalists.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rubric_criteria.id", ondelete="CASCADE")
    )
    points: Mapped[float]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JudgeComment(db.Model):
    """A judge's written comment (심사평) on one finalist."""

    __tablename__ = "judge_comments"
    __table_args__ = (sa.UniqueConstraint("finalist_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finalist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("finalists.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship()


class AwardTier(db.Model):
    """An ordered prize of one problem and division, e.g. 대상 — 과학기술정보통신부 장관상."""

    __tablename__ = "award_tiers"
    __table_args__ = (sa.CheckConstraint("teams >= 1", name="teams_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    division_id: Mapped[int] = mapped_column(sa.ForeignKey("divisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name_ko: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    teams: Mapped[int] = mapped_column(default=1)
    amount: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3), default="KRW")
    awarding_body: Mapped[str] = mapped_column(sa.String(200), default="")


class SpecialPrize(db.Model):
    """A prize given by hand, e.g. a sponsor's special award to one team."""

    __tablename__ = "special_prizes"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    awarding_body: Mapped[str] = mapped_column(sa.String(200), default="")
    amount: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    currency: Mapped[str] = mapped_column(sa.String(3), default="KRW")

    team: Mapped[Team] = relationship()


class ProblemJudge(db.Model):
    """A judge assigned to one problem. A judge of the competition without any assignment
    judges every problem; with assignments, only those problems."""

    __tablename__ = "problem_judges"

    problem_id: Mapped[int] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ResultEntry(db.Model):
    """The published result of one finalist, written when the organizer finalizes."""

    __tablename__ = "result_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    finalist_id: Mapped[int] = mapped_column(sa.ForeignKey("finalists.id", ondelete="CASCADE"))
    rank: Mapped[int | None]
    final_score: Mapped[float | None]
    quantitative: Mapped[float | None]
    qualitative: Mapped[float | None]
    tier_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("award_tiers.id", ondelete="SET NULL")
    )

    finalist: Mapped[Finalist] = relationship()
    tier: Mapped[AwardTier | None] = relationship()


class RankStability(db.Model):
    """A finalist's bootstrap rank interval among its problem's and division's finalists,
    or why its final file was left out (``excluded``: English, translated when shown)."""

    __tablename__ = "rank_stability"
    __table_args__ = (
        sa.CheckConstraint(
            "(excluded IS NULL) = (rank_low IS NOT NULL AND rank_high IS NOT NULL"
            " AND p_first IS NOT NULL AND resamples IS NOT NULL)",
            name="interval_or_reason",
        ),
    )

    finalist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("finalists.id", ondelete="CASCADE"), primary_key=True
    )
    rank_low: Mapped[int | None]
    rank_high: Mapped[int | None]
    p_first: Mapped[float | None]
    resamples: Mapped[int | None]
    excluded: Mapped[str | None] = mapped_column(sa.String(2000))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
