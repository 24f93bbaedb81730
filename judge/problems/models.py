"""A sponsor's problem in a competition, its public files and its hidden solution."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.accounts.models import User
from judge.competitions.models import Competition, Sponsor
from judge.core.db import UTCDateTime, enum_column, utcnow
from judge.core.extensions import db
from judge.problems.modes import Mode, mode_of
from judge.scoring.engine.splits import SplitMethod  # the split's owner; read here as a column


class Carry(enum.StrEnum):
    """How a phase of a series takes the previous phase's entries (docs/design/phases.md)."""

    NONE = "none"
    ALL = "all"  # every team's entries
    TOP_N = "top_n"  # the top N teams' (carry_top_n)


class SubmissionKind(enum.StrEnum):
    PREDICTIONS = "predictions"  # teams upload prediction files
    CODE = "code"  # teams upload code that runs on the hidden test inputs


class ProblemSeries(db.Model):
    """The problem participants see when a competition's problem has phases or tasks: its
    rows are problems, one per phase × task (docs/design/phases.md)."""

    __tablename__ = "problem_series"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "slug"),
        sa.UniqueConstraint("id", "competition_id", name="uq_problem_series_id_competition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[Competition] = relationship()
    problems: Mapped[list[Problem]] = relationship(
        back_populates="series",
        foreign_keys="Problem.series_id",
        viewonly=True,
        order_by="(Problem.phase_index, Problem.task_index)",
    )


class Problem(db.Model):
    __tablename__ = "problems"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "slug"),
        sa.ForeignKeyConstraint(
            ["sponsor_id", "competition_id"],
            ["sponsors.id", "sponsors.competition_id"],
            name="fk_problems_sponsor_in_competition",
        ),
        sa.CheckConstraint(
            "public_fraction IS NULL OR (public_fraction > 0 AND public_fraction < 1)",
            name="public_fraction_range",
        ),
        sa.CheckConstraint("daily_limit IS NULL OR daily_limit >= 1", name="daily_limit_positive"),
        sa.CheckConstraint("total_limit IS NULL OR total_limit >= 1", name="total_limit_positive"),
        sa.CheckConstraint("min_interval_seconds >= 0", name="min_interval_nonnegative"),
        sa.CheckConstraint("failed_daily_limit >= 0", name="failed_daily_limit_nonnegative"),
        sa.CheckConstraint("max_final_selections >= 1", name="final_selections_positive"),
        sa.CheckConstraint("validation_daily_limit >= 1", name="validation_daily_limit_positive"),
        sa.CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="window_order"
        ),
        sa.CheckConstraint(
            "blend_public_weight IS NULL"
            " OR (blend_public_weight >= 0 AND blend_public_weight <= 1)",
            name="blend_weight_range",
        ),
        sa.CheckConstraint("score_decimals BETWEEN 0 AND 10", name="score_decimals_range"),
        # A row of a series (a phase × task) has both indexes; a problem on its own neither.
        sa.UniqueConstraint("series_id", "phase_index", "task_index"),
        sa.ForeignKeyConstraint(
            ["series_id", "competition_id"],
            ["problem_series.id", "problem_series.competition_id"],
            name="fk_problems_series_in_competition",
        ),
        sa.CheckConstraint(
            "(series_id IS NULL AND phase_index IS NULL AND task_index IS NULL)"
            " OR (series_id IS NOT NULL AND phase_index >= 0 AND task_index >= 0)",
            name="series_position",
        ),
        sa.CheckConstraint(
            "carry = 'none' OR (phase_index IS NOT NULL AND phase_index > 0)",
            name="carry_from_a_phase",
        ),
        sa.CheckConstraint(
            "(carry = 'top_n' AND carry_top_n >= 1) OR (carry <> 'top_n' AND carry_top_n IS NULL)",
            name="carry_top_n",
        ),
        sa.CheckConstraint("NOT scoring_only OR carry <> 'none'", name="scoring_only_carries"),
        sa.CheckConstraint(
            "phase_name IS NULL OR series_id IS NOT NULL", name="phase_name_in_series"
        ),
        sa.CheckConstraint("series_id IS NOT NULL OR decides_ranking", name="own_ranking"),
        # One row of a series decides its ranking (the service picks it; see problems.series).
        sa.Index(
            "ix_problems_series_decides",
            "series_id",
            unique=True,
            sqlite_where=sa.text("decides_ranking AND series_id IS NOT NULL"),
            postgresql_where=sa.text("decides_ranking AND series_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    sponsor_id: Mapped[int] = mapped_column(index=True)
    slug: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    metric: Mapped[str] = mapped_column(sa.String(64))
    # The metric's own settings by name (see judge.scoring.metrics.OPTIONS), e.g. {"k": 10}.
    metric_options: Mapped[dict | None] = mapped_column(sa.JSON)
    higher_is_better: Mapped[bool] = mapped_column()
    id_column: Mapped[str] = mapped_column(sa.String(100), default="id")
    prediction_columns: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    split_method: Mapped[SplitMethod] = mapped_column(
        enum_column(SplitMethod, "split_method"), default=SplitMethod.FRACTION
    )
    public_fraction: Mapped[float | None] = mapped_column()
    split_salt: Mapped[str] = mapped_column(sa.String(64))
    daily_limit: Mapped[int | None] = mapped_column()  # None: no daily limit
    min_interval_seconds: Mapped[int] = mapped_column(default=0)
    total_limit: Mapped[int | None] = mapped_column()
    failed_daily_limit: Mapped[int] = mapped_column(default=3)
    max_final_selections: Mapped[int] = mapped_column(default=2)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A sponsor's draft waits for an organizer from this moment (see problems.review);
    # the organizer's comment when they last sent it back.
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    # The private board shows after an organizer reveals it, or at reveal_at.
    reveal_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rank the private board by w·public + (1−w)·private when set (AI CONNECT uses 0.3).
    blend_public_weight: Mapped[float | None] = mapped_column()
    # A sponsor's scoring program (a zip, by storage key) replaces the built-in metric;
    # its leaderboard columns: the first ranks, the others break ties (see scoring.programs).
    scoring_program_key: Mapped[str | None] = mapped_column(sa.String(64))
    score_columns: Mapped[list[dict] | None] = mapped_column(sa.JSON)
    # The scoring program's wall-clock limit (a bundle's execution_time_limit), in seconds;
    # None: the operator's SCORING_WALL_SECONDS. Running longer fails on the organizer's side.
    scoring_wall_seconds: Mapped[int | None] = mapped_column()
    # A fresh random token whenever a standing of the problem or a team of its competition
    # changes (judge.leaderboard.versions): the boards each process keeps are valid while
    # it stays the same. Never set through the ORM.
    board_version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    # Code submissions: the hidden test inputs (never the solution) and the code's limits.
    submission_kind: Mapped[SubmissionKind] = mapped_column(
        enum_column(SubmissionKind, "submission_kind"), default=SubmissionKind.PREDICTIONS,
        server_default=SubmissionKind.PREDICTIONS.value,
    )  # fmt: skip
    hidden_inputs_key: Mapped[str | None] = mapped_column(sa.String(64))
    hidden_inputs_filename: Mapped[str | None] = mapped_column(sa.String(255))
    code_limits: Mapped[dict | None] = mapped_column(sa.JSON)
    ingestion_program_key: Mapped[str | None] = mapped_column(sa.String(64))  # a zip
    # A code problem run by an ingestion program and scored by a program also takes results
    # (judge.problems.modes.BothMode); each upload's kind by Codabench's rule.
    takes_results: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # CodaLab 1.8's parallel ingestion (Codabench's ingestion_only_during_scoring), set by a
    # bundle's import: the ingestion program and the scoring program run at the same time,
    # sharing /app/shared and the predictions folder (judge.scoring.code.parallel).
    ingestion_during_scoring: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Public inputs in the hidden inputs' layout: teams' validation runs (output shown) use them.
    validation_inputs_key: Mapped[str | None] = mapped_column(sa.String(64))
    validation_inputs_filename: Mapped[str | None] = mapped_column(sa.String(255))
    validation_daily_limit: Mapped[int] = mapped_column(default=5, server_default="5")
    # The Python a scoring program and teams' code run on (see SANDBOX_RUNTIMES).
    runtime: Mapped[str] = mapped_column(sa.String(64), default="default", server_default="default")
    # Stage two: how far a re-run's private score may stray from the leaderboard's.
    reproduction_tolerance: Mapped[float] = mapped_column(default=0.01, server_default="0.01")
    # Kaggle-style medals on the private leaderboard (by the team-count thresholds).
    medals: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Every score of this problem is shown with this many decimals (web, API, CLI).
    score_decimals: Mapped[int] = mapped_column(default=5, server_default="5")
    # Publishing waits for a baseline run scored on the current setup (judge.problems.baseline);
    # set for problems imported from a bundle.
    baseline_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The bundle's own solution for this task (Codabench's ``solutions``), a zip the organizer
    # may run as the baseline; hidden like the reference data (staff only).
    bundle_solution_key: Mapped[str | None] = mapped_column(sa.String(64))
    bundle_solution_name: Mapped[str | None] = mapped_column(sa.String(200))
    # A phase × task of a series (judge.problems.series); all None/defaults on its own.
    series_id: Mapped[int | None] = mapped_column(index=True)
    phase_index: Mapped[int | None] = mapped_column()
    # The phase's own name (예선, 본선), the same on every row of the phase; None: "Phase N".
    phase_name: Mapped[str | None] = mapped_column(sa.String(100))
    task_index: Mapped[int | None] = mapped_column()
    carry: Mapped[Carry] = mapped_column(
        enum_column(Carry, "carry"), default=Carry.NONE, server_default=Carry.NONE.value
    )
    carry_top_n: Mapped[int | None] = mapped_column()
    scoring_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The row whose private board shortlists, awards and certificates use; a problem on its
    # own decides its own ranking.
    decides_ranking: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[Competition] = relationship()
    series: Mapped[ProblemSeries | None] = relationship(
        back_populates="problems", foreign_keys=[series_id], viewonly=True
    )
    sponsor: Mapped[Sponsor] = relationship(foreign_keys=[sponsor_id], viewonly=True)
    files: Mapped[list[ProblemFile]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="ProblemFile.id"
    )
    solution: Mapped[Solution | None] = relationship(
        back_populates="problem", cascade="all, delete-orphan", uselist=False
    )

    @property
    def mode(self) -> Mode:
        """How the problem is scored (see judge.problems.modes), from the fields above."""
        return mode_of(self)

    @property
    def takes_validation_runs(self) -> bool:
        return self.mode.accepts_code and self.validation_inputs_key is not None

    @property
    def ranking_decimals(self) -> int:
        """The decimals of the score a board ranks by: its scoring program's first column's,
        else the problem's."""
        if self.score_columns:
            return self.score_columns[0].get("precision", 4)
        return self.score_decimals

    @property
    def shown_score_columns(self) -> list[dict] | None:
        """The scoring program's columns teams see: a hidden one (its key and label too) is
        the organizers' and the sponsor's."""
        if self.score_columns is None:
            return None
        return [column for column in self.score_columns if not column.get("hidden")]

    @property
    def scores_all_rows(self) -> bool:
        """Every row of the solution scores both boards (the split "all", or reference data
        a scoring program reads whole): a submission's private score is its public one."""
        whole = self.solution is not None and self.solution.is_files
        return self.split_method == SplitMethod.ALL or whole

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def in_review(self) -> bool:
        return not self.is_published and self.review_requested_at is not None

    def window(self) -> tuple[datetime | None, datetime | None]:
        """When submissions open and close: the problem's own dates, else the competition's."""
        return (
            self.opens_at or self.competition.submissions_open_at,
            self.closes_at or self.competition.submissions_close_at,
        )


class ProblemFile(db.Model):
    """A public file participants download: training data, test inputs, a sample submission."""

    __tablename__ = "problem_files"
    __table_args__ = (sa.UniqueConstraint("problem_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    storage_key: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    problem: Mapped[Problem] = relationship(back_populates="files")


class Solution(db.Model):
    """The hidden answer file. Only the worker, organizers and the sponsor ever touch it."""

    __tablename__ = "solutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    storage_key: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    rows: Mapped[int] = mapped_column()
    public_rows: Mapped[int] = mapped_column()
    private_rows: Mapped[int] = mapped_column()
    # The solution as the scorer reads it: ids, targets and each row's side, in parquet.
    prepared_key: Mapped[str | None] = mapped_column(sa.String(64))
    target_columns: Mapped[list[str] | None] = mapped_column(sa.JSON)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    problem: Mapped[Problem] = relationship(back_populates="solution")
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def is_files(self) -> bool:
        """Reference data kept as a bundle holds it (a zip of files and folders) for a scoring
        program to read whole; else a CSV with an id column, split into public and private."""
        return self.filename.lower().endswith(".zip")
