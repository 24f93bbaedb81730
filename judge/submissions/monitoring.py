"""What operators watch, read from the database (the truth, the same for every process).

Each function takes a Connection or Session and runs one small aggregate query;
``/health`` and ``/metrics`` call them. Nothing here is per team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from judge.problems.models import Problem
from judge.submissions.models import (
    FAILURE_REASONS,
    FailureKind,
    Status,
    Submission,
    WorkerHeartbeat,
)

#: For rows finished before reasons were recorded.
KIND_REASONS = {FailureKind.INVALID: "validation", FailureKind.LIMIT: "other",
                FailureKind.SYSTEM: "crash"}  # fmt: skip


@dataclass(frozen=True)
class Queue:
    queued: int
    running: int
    oldest_queued_seconds: float
    oldest_running_seconds: float


@dataclass(frozen=True)
class Workers:
    live: int
    slots: int
    busy: int  # running submissions claimed by a live worker


@dataclass(frozen=True)
class Timings:
    problem_id: int
    metric: str
    buckets: list[int]  # cumulative counts, one per bound
    count: int
    total_seconds: float


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since else 0.0


def queue(conn, now: datetime) -> Queue:
    """Submissions waiting and being scored, and how long the oldest of each has waited."""
    rows = conn.execute(
        sa.select(Submission.status, sa.func.count(), sa.func.min(Submission.created_at),
                  sa.func.min(Submission.started_at))
        .where(Submission.status.in_([Status.QUEUED, Status.RUNNING]))
        .group_by(Submission.status)
    ).all()  # fmt: skip
    by_status = {Status(row[0]): row for row in rows}
    queued, running = by_status.get(Status.QUEUED), by_status.get(Status.RUNNING)
    return Queue(
        queued=queued[1] if queued else 0,
        running=running[1] if running else 0,
        oldest_queued_seconds=_age(now, queued[2]) if queued else 0.0,
        oldest_running_seconds=_age(now, running[3]) if running else 0.0,
    )


def workers(conn, now: datetime, stale_after: timedelta) -> Workers:
    """Workers whose heartbeat is fresh, their job slots, and how many of those are busy."""
    fresh = WorkerHeartbeat.seen_at >= now - stale_after
    live, slots = conn.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(WorkerHeartbeat.slots), 0))
        .where(fresh)
    ).one()  # fmt: skip
    busy = conn.execute(
        sa.select(sa.func.count())
        .select_from(Submission)
        .join(WorkerHeartbeat, WorkerHeartbeat.name == Submission.worker)
        .where(Submission.status == Status.RUNNING, fresh)
    ).scalar_one()
    return Workers(live=int(live), slots=int(slots), busy=int(busy))


def status_counts(conn) -> dict[str, int]:
    """Submissions in each state (every state present, zero when none)."""
    rows = conn.execute(sa.select(Submission.status, sa.func.count()).group_by(Submission.status))
    counts = {status.value: 0 for status in Status}
    counts.update({Status(status).value: int(n) for status, n in rows})
    return counts


def accepted_by_problem(conn) -> dict[int, int]:
    """Submissions ever accepted, per problem id."""
    rows = conn.execute(
        sa.select(Submission.problem_id, sa.func.count()).group_by(Submission.problem_id)
    )
    return {int(problem_id): int(n) for problem_id, n in rows}


def failures_by_reason(conn) -> dict[str, int]:
    """Failed submissions by reason (every reason present, zero when none)."""
    rows = conn.execute(
        sa.select(Submission.failure_reason, Submission.failure_kind, sa.func.count())
        .where(Submission.status == Status.FAILED)
        .group_by(Submission.failure_reason, Submission.failure_kind)
    )
    counts = dict.fromkeys(FAILURE_REASONS, 0)
    for reason, kind, n in rows:
        name = reason if reason in counts else KIND_REASONS.get(kind, "other")
        counts[name] += int(n)
    return counts


def retried(conn) -> int:
    """Extra scoring runs because a worker died or a sandbox was unavailable."""
    extra = sa.func.coalesce(sa.func.sum(Submission.attempts - 1), 0)
    return int(conn.execute(sa.select(extra).where(Submission.attempts > 1)).scalar_one())


def scoring_times(conn, bounds: Sequence[float]) -> list[Timings]:
    """A histogram of the finishing run's duration of every finished submission, per problem."""
    seconds = Submission.run_seconds
    columns = [sa.func.sum(sa.case((seconds <= bound, 1), else_=0)) for bound in bounds]
    rows = conn.execute(
        sa.select(Submission.problem_id, Problem.metric, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(seconds), 0.0), *columns)
        .join(Problem, Problem.id == Submission.problem_id)
        .where(Submission.status.in_([Status.SCORED, Status.FAILED]), seconds.is_not(None))
        .group_by(Submission.problem_id, Problem.metric)
    )  # fmt: skip
    return [
        Timings(
            int(row[0]), str(row[1]), [int(n or 0) for n in row[4:]], int(row[2]), float(row[3])
        )
        for row in rows
    ]
