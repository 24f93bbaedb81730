"""Submissions, their scores, and each team's submission quota per problem."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.core.db import UTCDateTime, enum_column, utcnow
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.teams.models import Team


class Status(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SCORED = "scored"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (Status.SCORED, Status.FAILED, Status.CANCELLED)


class FailureKind(enum.StrEnum):
    INVALID = "invalid"  # the file did not pass validation: the participant can fix it
    LIMIT = "limit"  # the scorer hit a sandbox limit (time, memory, output)
    SYSTEM = "system"  # the platform failed; not the participant's fault


#: Why a submission failed, finer than its kind; a small fixed set for metrics labels.
FAILURE_REASONS = ("validation", "timeout", "memory", "output", "processes", "crash",
                   "worker_lost", "organizer", "other")  # fmt: skip
#: The reason of a failure on the organizer's side: the problem's own programs gave no score.
ORGANIZER = "organizer"


class UploadKind(enum.StrEnum):
    """What an upload to a code problem was (judge.submissions.kinds)."""

    CODE = "code"  # run, by the ingestion program where the problem has one
    RESULTS = "results"  # scored by the sponsor's program as it is


class Split(enum.StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        sa.Index("ix_submissions_team_problem", "team_id", "problem_id"),
        sa.Index("ix_submissions_user_problem", "user_id", "problem_id"),  # a person's quota
        sa.Index("ix_submissions_status_lease", "status", "lease_expires_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"))
    # None: an organizer's baseline run (judge.submissions.baseline), on no board or quota.
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    storage_key: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.QUEUED)
    quota_day: Mapped[str] = mapped_column(sa.String(10))  # the competition-local day it counts on
    counted: Mapped[bool] = mapped_column(default=True)  # false once refunded after validation
    # A validation run: the team's code on the problem's public validation inputs, never
    # scored, counted apart (Quota.validation_count); the team sees its whole ``output``.
    validation: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    output: Mapped[str | None] = mapped_column(sa.Text)  # a validation run's, for the team
    # A baseline run's scoring setup when uploaded (judge.problems.baseline.setup_of).
    setup: Mapped[str | None] = mapped_column(sa.String(64))
    # Code or results, for uploads to a code problem (None: a prediction problem's file).
    kind: Mapped[UploadKind | None] = mapped_column(enum_column(UploadKind, "upload_kind"))
    selected: Mapped[bool] = mapped_column(default=False)  # chosen as a final submission
    # A task's own submission fanned out from one upload to a phase (the upload's first
    # task's row), and an entry carried over from the previous phase (judge.problems.series).
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="SET NULL"), index=True
    )
    carried_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="SET NULL"), index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(sa.String(200))
    failure_kind: Mapped[FailureKind | None] = mapped_column(
        enum_column(FailureKind, "failure_kind")
    )
    failure_reason: Mapped[str | None] = mapped_column(sa.String(32))  # metrics: FAILURE_REASONS
    error_message: Mapped[str | None] = mapped_column(sa.Text)  # safe to show the team
    log: Mapped[str | None] = mapped_column(sa.Text)  # organizers only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last handed to the queue
    # When it last began to wait for a worker: uploaded, re-scored or given back (/health).
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    run_seconds: Mapped[float | None] = mapped_column(sa.Float)  # the finishing attempt's run
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rescored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last queued to re-score

    problem: Mapped[Problem] = relationship()
    team: Mapped[Team | None] = relationship()
    user: Mapped[User | None] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )

    def score(self, split: Split) -> float | None:
        return next((s.value for s in self.scores if s.split == split), None)

    @property
    def public_score(self) -> float | None:
        return self.score(Split.PUBLIC)

    @property
    def private_score(self) -> float | None:
        return self.score(Split.PRIVATE)


#: A team's scored submission: neither a validation run nor an organizer's baseline run.
BY_TEAMS = sa.and_(Submission.validation.is_(False), Submission.team_id.is_not(None))


class Score(db.Model):
    """One score per submission and split (a database constraint)."""

    __tablename__ = "scores"
    __table_args__ = (sa.UniqueConstraint("submission_id", "split"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id", ondelete="CASCADE"))
    split: Mapped[Split] = mapped_column(enum_column(Split, "split"))
    value: Mapped[float] = mapped_column(sa.Float)
    # A scoring program's values of every leaderboard column, by key; a built-in metric's
    # details (map_50, map_50_95: the AP of each class of this split's truth), else None.
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="scores")


class ScoreHistory(db.Model):
    """A score that a re-scoring replaced, kept so organizers can compare."""

    __tablename__ = "score_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    split: Mapped[Split] = mapped_column(enum_column(Split, "split"))
    value: Mapped[float] = mapped_column(sa.Float)
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Quota(db.Model):
    """A team's use of one problem's submission limits.

    Changed only by single guarded UPDATE statements, so parallel uploads
    can never take more than the limits allow (no count-then-insert).
    """

    __tablename__ = "submission_quotas"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "problem_id"),
        sa.CheckConstraint("day_count >= 0 AND total_count >= 0 AND failed_count >= 0",
                           name="counts_nonnegative"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(sa.String(10), default="")
    day_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    total_count: Mapped[int] = mapped_column(default=0)
    validation_day: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    validation_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkerHeartbeat(db.Model):
    """One row per running worker, touched every few seconds by the worker itself.

    A row not touched for a few intervals is a dead (or cut-off) worker; ``/health``
    and the metrics count the fresh ones.
    """

    __tablename__ = "worker_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)  # the Celery node name
    slots: Mapped[int] = mapped_column(default=1)  # how many jobs it runs at once
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
