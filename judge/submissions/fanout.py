"""One upload to a phase of a series, scored on each of the phase's tasks (docs/design/phases.md).

A phase × task is a problem row. An upload goes to the phase's first task row: that submission
is the *upload* (the parent; it alone takes a count of the team's limits). :func:`fan_out` then
makes one *child* submission on each other task row of the phase: the same stored file, file
name, size, quota day and uploader, ``parent_id`` set and ``counted`` false, each queued through
the after-commit hook and scored by the worker like any submission of its row. A task row's
leaderboard ranks that row's submissions, children included.

A file one task row cannot take: Codabench makes a child on every task of the phase and skips
none; judge does the same, and since a row here may take only some file types (or only code),
an upload that one task row would refuse is refused whole, naming the task, before anything is
stored or counted (:func:`check_fits`).

Services flush; callers commit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.core import storage
from judge.core.errors import Forbidden, Invalid
from judge.core.extensions import db
from judge.problems import series
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.submissions import kinds, lifecycle
from judge.submissions.models import Status, Submission


def phase_rows(problem: Problem) -> list[Problem]:
    """The task rows of ``problem``'s phase, first task first ([problem] on its own)."""
    if problem.series_id is None:
        return [problem]
    return list(db.session.scalars(
        sa.select(Problem)
        .where(Problem.series_id == problem.series_id,
               Problem.phase_index == problem.phase_index)
        .order_by(Problem.task_index)))  # fmt: skip


def check_takes_uploads(problem: Problem) -> None:
    """Refuse an upload to a task row other than its phase's first (a scoring-only phase
    refuses every upload: judge.submissions.carrying)."""
    if problem.series_id is None:
        return
    phase = series.phase_label(problem)
    if problem.task_index != 0:
        first = phase_rows(problem)[0]
        if not first.is_published:  # a draft exists for its staff only: not named
            raise Invalid(_("Upload to “%(phase)s” as a whole, once its first task is "
                            "published: one upload is scored on every task of the phase.",
                            phase=phase), field="file")  # fmt: skip
        raise Invalid(_("Upload to “%(phase)s” as a whole, at its first task “%(task)s”: one "
                        "upload is scored on every task of the phase, this one included.",
                        phase=phase, task=first.slug), field="file")  # fmt: skip


def check_fits(problem: Problem, path: Path, filename: str) -> None:
    """Refuse, naming the task, a file that one of the phase's other task rows cannot take."""
    for row in phase_rows(problem)[1:]:
        if problems.extension(filename) not in row.mode.extensions:
            raise Invalid(_("Task “%(task)s” of this phase does not take this type of file: "
                            "%(reason)s", task=row.slug, reason=_(row.mode.wrong_type)),
                          field="file")  # fmt: skip
        kinds.kind_of(row, path, filename)


def fan_out(parent: Submission, now: datetime) -> list[Submission]:
    """Make ``parent``'s children on the other task rows of its phase, queued after commit.

    ``parent`` is a submission on a phase's first task row: an upload, or an entry carried
    into the phase (judge.problems.series). The children use none of the team's limits.
    Refuses (Invalid, naming the task) a file one of the rows cannot take; nothing is made
    then. Returns the children, by task."""
    rows = phase_rows(parent.problem)[1:]
    path = storage.path_of(parent.storage_key)
    check_fits(parent.problem, path, parent.filename)
    children = [_child(parent, row, kinds.kind_of(row, path, parent.filename), now)
                for row in rows]  # fmt: skip
    db.session.add_all(children)
    db.session.flush()
    for child in children:
        lifecycle.publish_after_commit(child.id)
    return children


def _child(parent: Submission, row: Problem, kind, now: datetime) -> Submission:
    return Submission(problem_id=row.id, team_id=parent.team_id, user_id=parent.user_id,
                      filename=parent.filename, description=parent.description,
                      storage_key=parent.storage_key, size=parent.size, status=Status.QUEUED,
                      quota_day=parent.quota_day, kind=kind, counted=False, parent_id=parent.id,
                      created_at=now, enqueued_at=now, queued_at=now)  # fmt: skip


def children(upload: Submission) -> list[Submission]:
    """The upload's children, by task."""
    return list(db.session.scalars(
        sa.select(Submission).join(Problem, Problem.id == Submission.problem_id)
        .where(Submission.parent_id == upload.id).order_by(Problem.task_index)))  # fmt: skip


def family(upload: Submission) -> list[Submission]:
    """The upload and its children: one submission per task, first task first."""
    return [upload, *children(upload)]


def upload_status(upload: Submission, members: list[Submission] | None = None) -> Status:
    """The upload's status over its tasks: cancelled with it; queued or running while any
    task is; failed once every task finished and one failed; else scored."""
    members = members if members is not None else family(upload)
    statuses = {member.status for member in members}
    if upload.status == Status.CANCELLED:
        return Status.CANCELLED
    if statuses & {Status.QUEUED, Status.RUNNING}:
        return Status.RUNNING if statuses - {Status.QUEUED} else Status.QUEUED
    if statuses & {Status.FAILED, Status.CANCELLED}:
        return Status.FAILED
    return Status.SCORED


def refuse_child_selection(submission: Submission) -> None:
    """A child follows its upload: selecting it alone is refused."""
    if submission.parent_id is not None:
        raise Forbidden(_("This is one task's score of upload %(id)d: select the upload "
                          "instead, and every task follows.", id=submission.parent_id))  # fmt: skip


def refuse_child_cancel(submission: Submission) -> None:
    """A child follows its upload: cancelling it alone is refused."""
    if submission.parent_id is not None:
        raise Forbidden(_("This is one task's score of upload %(id)d: cancel the upload "
                          "instead, and every task follows.", id=submission.parent_id))  # fmt: skip
