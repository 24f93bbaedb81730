"""An organizer's baseline run: a file scored by the real worker like a team's submission,
but of no team, so it is on no board and in no count or quota (see judge.problems.baseline).
Services flush; callers commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core import storage
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.problems import baseline
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.submissions import kinds, lifecycle
from judge.submissions.models import Status, Submission, UploadKind
from judge.submissions.rescoring import require_manager


def run(problem: Problem, upload: storage.StagedFile, filename: str, actor: User,
        now: datetime) -> Submission:  # fmt: skip
    """Queue ``upload`` as the problem's baseline run on its current scoring setup."""
    require_manager(actor, problem)
    if problem.solution is None:
        raise Invalid(_("Upload the solution before running a baseline."))
    filename = problems.clean_filename(filename)
    if problems.extension(filename) not in problem.mode.extensions:
        raise Invalid(_(problem.mode.wrong_type))
    if upload.size == 0:
        raise Invalid(_("The file is empty."))
    kind = kinds.kind_of(problem, upload.path, filename)
    return _queue(problem, storage.put(upload), upload.size, filename, actor, now, kind)


def run_bundle_solution(problem: Problem, actor: User, now: datetime) -> Submission:
    """Queue the bundle's own solution (kept at import) as the problem's baseline run."""
    require_manager(actor, problem)
    if problem.bundle_solution_key is None:
        raise Invalid(_("This problem has no solution from its bundle; upload a file instead."))
    if problem.solution is None:
        raise Invalid(_("Upload the solution before running a baseline."))
    filename = problems.clean_filename(f"{problem.bundle_solution_name or 'solution'}.zip")
    if ".zip" not in problem.mode.extensions:
        raise Invalid(_(problem.mode.wrong_type))
    path = storage.path_of(problem.bundle_solution_key)
    kind = kinds.kind_of(problem, path, filename)
    return _queue(problem, problem.bundle_solution_key, path.stat().st_size, filename, actor, now,
                  kind)  # fmt: skip


def _queue(problem: Problem, key: str, size: int, filename: str, actor: User,
           now: datetime, kind: UploadKind | None) -> Submission:  # fmt: skip
    submission = Submission(
        problem_id=problem.id, team_id=None, user_id=actor.id, filename=filename, kind=kind,
        storage_key=key, size=size, status=Status.QUEUED, quota_day="", counted=False,
        setup=baseline.setup_of(problem), created_at=now, enqueued_at=now, queued_at=now,
    )  # fmt: skip
    db.session.add(submission)
    db.session.flush()
    lifecycle.publish_after_commit(submission.id)
    audit.record(actor, "baseline_run", problem.competition_id, problem.title, None,
                 {"submission": submission.id, "filename": filename})  # fmt: skip
    return submission


def latest(problem: Problem) -> Submission | None:
    """The problem's newest baseline run."""
    return db.session.scalar(
        sa.select(Submission)
        .where(Submission.problem_id == problem.id, Submission.team_id.is_(None))
        .order_by(Submission.id.desc())
        .limit(1)
    )
