"""Judges' written comments (심사평): one per judge and finalist.

Organizers read every comment with its author. A finalist's team reads the comments on it,
without the judges' names, once the results are published and only if the organizer has
chosen to share them (a finals setting; each change is audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition
from judge.core.extensions import db
from judge.finals import judging
from judge.finals.models import Finalist, JudgeComment
from judge.finals.services import settings_of

MAX_CHARS = 5000


def own(judge: User, finalists: list[Finalist]) -> dict[int, str]:
    """The judge's comment on each of ``finalists`` that has one, by finalist id."""
    rows = db.session.scalars(
        sa.select(JudgeComment).where(JudgeComment.judge_id == judge.id,
                                      JudgeComment.finalist_id.in_([f.id for f in finalists]))
    )  # fmt: skip
    return {row.finalist_id: row.body for row in rows}


def write(judge: User, finalist: Finalist, body: str, now: datetime) -> None:
    """Keep the judge's comment on the finalist (an empty one removes it); checked before."""
    row = db.session.scalar(
        sa.select(JudgeComment).where(JudgeComment.judge_id == judge.id,
                                      JudgeComment.finalist_id == finalist.id)
    )  # fmt: skip
    body = body.strip()
    if row is not None and not body:
        db.session.delete(row)
    elif body and (row is None or row.body != body):
        row = row or JudgeComment(finalist_id=finalist.id, judge_id=judge.id)
        row.body, row.updated_at = body, now
        db.session.add(row)


@dataclass(frozen=True)
class Review:
    """One judge's part on one finalist, as organizers see it."""

    judge: User
    conflicted: bool
    total: float | None
    comment: str


def reviews(competition: Competition) -> list[tuple[Finalist, list[Review]]]:
    """Every finalist with each of its judges' total and comment."""
    out = []
    for finalist in judging.competition_finalists(competition):
        totals = judging.judge_totals(finalist)
        notes = _comments_on(finalist)
        rows = [Review(j, judging.conflicted(j, finalist), totals.get(j.id), notes.get(j.id, ""))
                for j in judging.judges_of(finalist.problem)]  # fmt: skip
        out.append((finalist, rows))
    return out


def _comments_on(finalist: Finalist) -> dict[int, str]:
    query = sa.select(JudgeComment).where(JudgeComment.finalist_id == finalist.id)
    rows = db.session.scalars(query)
    return {row.judge_id: row.body for row in rows}


def shared(competition: Competition) -> bool:
    """Teams read their comments now: results published and the organizer shares them."""
    settings = settings_of(competition)
    return settings.locked_at is not None and settings.comments_to_teams


def for_team(finalist: Finalist) -> list[str] | None:
    """The comments on the finalist, anonymous, if the team may read them (else None)."""
    if not shared(finalist.problem.competition):
        return None
    return [body for _, body in sorted(_comments_on(finalist).items())]


def share_with_teams(competition: Competition, actor: User, on: bool) -> None:
    """Whether teams read their judges' comments once the results are published (audited)."""
    settings = settings_of(competition)
    if settings.comments_to_teams != on:
        audit.record(actor, "comments_sharing_changed", competition.id, competition.title,
                     {"shared": settings.comments_to_teams}, {"shared": on})  # fmt: skip
        settings.comments_to_teams = on
        db.session.flush()
