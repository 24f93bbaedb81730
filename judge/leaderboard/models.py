"""Each team's standing on each problem, kept up to date as scores arrive."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judge.core.db import UTCDateTime, utcnow
from judge.core.extensions import db
from judge.teams.models import Team


class Standing(db.Model):
    """A team's best public entry and its private (final) result on one problem.

    Rebuilt for one team whenever one of its submissions is scored or its
    final selection changes; the boards read these rows, never all submissions.
    """

    __tablename__ = "standings"
    __table_args__ = (
        sa.UniqueConstraint("problem_id", "team_id"),
        sa.Index("ix_standings_problem_public", "problem_id", "public_score"),
        sa.Index("ix_standings_problem_final", "problem_id", "final_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    division_id: Mapped[int] = mapped_column(index=True)
    entries: Mapped[int] = mapped_column(default=0)  # scored submissions
    public_score: Mapped[float | None] = mapped_column(sa.Float)
    public_submission_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="SET NULL")
    )
    public_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    private_score: Mapped[float | None] = mapped_column(sa.Float)
    final_score: Mapped[float | None] = mapped_column(sa.Float)  # private, or the blend
    final_submission_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="SET NULL")
    )
    final_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_selected: Mapped[bool] = mapped_column(default=False)
    # A scoring program's column values of the best public / the final entry (tie-breaks).
    public_details: Mapped[dict | None] = mapped_column(sa.JSON)
    final_details: Mapped[dict | None] = mapped_column(sa.JSON)
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
