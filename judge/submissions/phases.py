"""A team's uploads to a phase of a series, each with its submission per task.

An upload is the team's submission on the phase's first task row (``parent_id`` NULL);
each other task row holds its child (``parent_id`` = the upload). The upload's row is
scoring while a task is not finished, then failed if a task failed (no score is shown beside
an error), else scored — the rule of the API's answer (``fanout.upload_status``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem
from judge.submissions import fanout
from judge.submissions import services as submissions
from judge.submissions.models import Status, Submission
from judge.teams.models import Team

PENDING = (Status.QUEUED, Status.RUNNING)


@dataclass(frozen=True)
class Upload:
    """One upload and, per task row of the phase, its submission there (None: not yet)."""

    upload: Submission
    tasks: tuple[Submission | None, ...]

    @property
    def state(self) -> str:
        """ "failed", "cancelled", "scoring" or "scored": the upload's status over its tasks,
        as the API gives it (:func:`judge.submissions.fanout.upload_status`); a task row added
        after the upload has no submission of it and does not count."""
        members = [s for s in self.tasks if s is not None]
        status = fanout.upload_status(self.upload, members)
        return "scoring" if status in PENDING else status.value

    @property
    def errors(self) -> list[str]:
        return [s.error_message for s in self.tasks
                if s is not None and s.status == Status.FAILED and s.error_message]  # fmt: skip


def uploads(rows: Sequence[Problem], team: Team) -> list[Upload]:
    """The team's uploads to the phase of ``rows`` (its task rows, first first), newest first."""
    own = [s for s in submissions.team_submissions(rows[0], team) if s.parent_id is None]
    children = _children([s.id for s in own], [row.id for row in rows[1:]])
    return [Upload(s, (s, *(children.get((s.id, row.id)) for row in rows[1:]))) for s in own]


def _children(parent_ids: list[int], row_ids: list[int]) -> dict[tuple[int, int], Submission]:
    if not parent_ids or not row_ids:
        return {}
    found = db.session.scalars(
        sa.select(Submission).where(
            Submission.parent_id.in_(parent_ids), Submission.problem_id.in_(row_ids)
        )
    )
    return {(s.parent_id, s.problem_id): s for s in found}
