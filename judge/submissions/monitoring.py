"""What operators watch, read from the database (the truth, the same for every process).

Each function takes a Connection or Session. ``/health`` calls :func:`queue`,
:func:`queue_by_problem` and :func:`workers` (small indexed queries); ``/metrics`` adds
:func:`totals`, one scan of the submissions table. Nothing here is per team; problems are
named by id only.
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


@dataclass
class Timings:
    problem_id: int
    metric: str
    buckets: list[int]  # cumulative counts, one per bound
    count: int
    total_seconds: float


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since else 0.0


def queue(conn, now: datetime) -> Queue:
    """Submissions waiting and being scored: how long the one waiting longest for a worker
    has waited (since it was uploaded, re-scored or given back), and how long the oldest
    running job has run."""
    rows = conn.execute(
        sa.select(Submission.status, sa.func.count(), sa.func.min(Submission.queued_at),
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


@dataclass(frozen=True)
class ProblemQueue:
    problem_id: int
    queued: int
    oldest_queued_seconds: float


def queue_by_problem(conn, now: datetime) -> list[ProblemQueue]:
    """Per problem with submissions waiting for a worker: how many, and the oldest's wait."""
    rows = conn.execute(
        sa.select(Submission.problem_id, sa.func.count(), sa.func.min(Submission.queued_at))
        .where(Submission.status == Status.QUEUED)
        .group_by(Submission.problem_id)
        .order_by(Submission.problem_id)
    ).all()  # fmt: skip
    return [ProblemQueue(problem_id, n, _age(now, oldest)) for problem_id, n, oldest in rows]


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


@dataclass
class Totals:
    """Everything counted over all submissions, from one scan of the table."""

    by_status: dict[str, int]  # every state, zero when none
    accepted: dict[int, int]  # per problem id
    failures: dict[str, int]  # every reason in FAILURE_REASONS, zero when none
    retries: int  # extra runs because a worker died or a sandbox was unavailable
    timings: list[Timings]


def totals(conn, bounds: Sequence[float]) -> Totals:
    """Counts by state, problem and failure reason, retries, and run-time histograms."""
    run = Submission.run_seconds
    extra_runs = sa.case((Submission.attempts > 1, Submission.attempts - 1), else_=0)
    rows = conn.execute(
        sa.select(Submission.problem_id, Submission.status, Submission.failure_kind,
                  Submission.failure_reason, sa.func.count(), sa.func.sum(extra_runs),
                  sa.func.count(run), sa.func.coalesce(sa.func.sum(run), 0.0),
                  *[sa.func.sum(sa.case((run <= bound, 1), else_=0)) for bound in bounds])
        .group_by(Submission.problem_id, Submission.status, Submission.failure_kind,
                  Submission.failure_reason)
    ).all()  # fmt: skip
    metrics = dict(conn.execute(sa.select(Problem.id, Problem.metric)).all())
    result = Totals({status.value: 0 for status in Status}, {},
                    dict.fromkeys(FAILURE_REASONS, 0), 0, [])  # fmt: skip
    timings: dict[int, Timings] = {}
    for row in rows:
        _add(result, timings, row, metrics)
    result.timings = sorted(timings.values(), key=lambda t: t.problem_id)
    return result


def _add(result: Totals, timings: dict[int, Timings], row, metrics: dict[int, str]) -> None:
    problem_id, status, kind, reason, n, extra_runs, timed, seconds, *buckets = row
    status = Status(status)
    result.by_status[status.value] += n
    result.accepted[problem_id] = result.accepted.get(problem_id, 0) + n
    result.retries += int(extra_runs or 0)
    if status == Status.FAILED:
        name = reason if reason in result.failures else KIND_REASONS.get(kind, "other")
        result.failures[name] += n
    if status in (Status.SCORED, Status.FAILED) and timed:
        known = timings.setdefault(problem_id, Timings(problem_id, str(metrics.get(problem_id)),
                                                       [0] * len(buckets), 0, 0.0))  # fmt: skip
        known.count += int(timed)
        known.total_seconds += float(seconds)
        known.buckets = [a + int(b or 0) for a, b in zip(known.buckets, buckets, strict=True)]
