"""Replacing a problem's hidden solution in two steps: the upload is checked and kept
aside (pending), a confirm page shows what changes, and only then is the solution
replaced, with the problem's finished submissions re-scored when so chosen.

A pending upload is a stored blob that no row names yet: if nobody confirms, the orphan
sweep (judge.core.orphans) removes it, and a newer upload simply takes its place.
Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import gettext as _

from judge.accounts.models import User
from judge.core import storage
from judge.core.errors import Conflict, Gone
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.submissions import rescoring


@dataclass(frozen=True)
class Pending:
    """An uploaded solution waiting for confirmation (kept by the caller, e.g. the session)."""

    problem_id: int
    key: str
    filename: str
    size: int
    rows: int
    public_rows: int
    private_rows: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Plan:
    """What confirming a pending solution changes."""

    old_filename: str | None
    old_rows: int | None
    new: Pending
    rescore: int  # finished submissions a re-score would queue
    replace_only: bool  # whether replacing without re-scoring is allowed now


def stage(problem: Problem, upload: storage.StagedFile, filename: str) -> Pending:
    """Check an uploaded solution and keep its bytes aside; the problem is not changed."""
    filename, summary = problems.check_solution(problem, upload, filename)
    return Pending(problem.id, storage.put(upload), filename, upload.size, summary.rows,
                   summary.public_rows, summary.private_rows)  # fmt: skip


def plan(problem: Problem, pending: Pending, now: datetime) -> Plan:
    """What confirming ``pending`` would do now (changes nothing)."""
    old = problem.solution
    return Plan(
        old_filename=old.filename if old else None,
        old_rows=old.rows if old else None,
        new=pending,
        rescore=rescoring.rescore_plan(problem),
        replace_only=not leaderboard.is_revealed(problem, now),
    )


def confirm(problem: Problem, pending: Pending, rescore: bool, actor: User,
            now: datetime) -> list[int]:  # fmt: skip
    """Replace the solution by ``pending``; re-score the finished submissions if asked (or
    required: once the private leaderboard is revealed its scores must match the answers).
    Returns the ids queued."""
    if pending.problem_id != problem.id:
        raise Conflict(_("This upload belongs to another problem; please upload again."))
    if not rescore and not plan(problem, pending, now).replace_only:
        raise Conflict(_("The private leaderboard is revealed: a new solution must re-score "
                         "the submissions."))  # fmt: skip
    path = storage.path_of(pending.key)
    if not path.is_file():
        raise Gone(_("The uploaded solution is no longer kept; please upload it again."))
    upload = storage.StagedFile(path=path, sha256=pending.key, size=pending.size)
    problems.replace_solution(problem, upload, pending.filename, actor)
    return rescoring.rescore_problem(problem, actor, now) if rescore else []
