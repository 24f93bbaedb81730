"""``/health`` and ``/metrics`` on a busy instance: what one load-balancer probe or one
Prometheus scrape costs when the database holds many submissions.

Setup (not measured): a temporary SQLite instance with one problem, 100 teams and
``--submissions`` submissions (default 100,000) inserted in bulk: 1 % queued, 0.1 %
running, 10 % failed with mixed reasons, the rest scored, each with a run time of 1-60 s;
and 4 worker heartbeats.

Measured, ``--requests`` times each through the Flask test client (each request in its
own app context, as in production): ``GET /health`` and ``GET /metrics`` (from 127.0.0.1).

Baseline in the same run: ``sqlite3`` ``SELECT status, count(*) FROM submissions GROUP BY
status`` (the one query both endpoints cannot avoid in some form).

Target: /health p99 ≤ 100 ms (a probe every few seconds must stay cheap; its hard deadline
is ``HEALTH_TIMEOUT_SECONDS``); /metrics p99 ≤ 1 s (Prometheus scrapes every 15 s).

Run from the repository root:

    .venv/bin/python benchmarks/ops_endpoints.py [--submissions 100000] [--requests 50]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import timedelta

from _common import heading, line, quiet_logs, ratio, repeat, spread, target, temp_instance

CHUNK = 5_000
REASONS = ("validation", "validation", "validation", "timeout", "memory", "crash")


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance() as instance:
        heading(f"ops_endpoints: {args.submissions:,} submissions, {args.requests} requests each")
        started = time.perf_counter()
        _setup(instance, args.submissions)
        line("setup (not measured)", f"{time.perf_counter() - started:.1f} s")
        database = instance.path / "judge.db"
        connection = sqlite3.connect(database)
        sql = "SELECT status, count(*) FROM submissions GROUP BY status"
        base = repeat(lambda: connection.execute(sql).fetchall(), args.requests, warmup=3)
        spread("baseline: sqlite3 GROUP BY status", base)
        client = instance.app.test_client()
        health = repeat(lambda: _get(client, "/health"), args.requests, warmup=3)
        spread("GET /health", health)
        scrape = repeat(lambda: _get(client, "/metrics"), args.requests, warmup=3)
        spread("GET /metrics", scrape)
        ratio("/health p50 vs baseline p50", _p(health, 50), _p(base, 50))
        ratio("/metrics p50 vs baseline p50", _p(scrape, 50), _p(base, 50))
        target("/health p99 ≤ 100 ms", _p(health, 99), 0.100)
        target("/metrics p99 ≤ 1 s", _p(scrape, 99), 1.0)


def _p(values, q):
    from _common import percentile

    return percentile(values, q)


def _get(client, path: str) -> None:
    answer = client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.status_code == 200, answer.text


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    return parser.parse_args()


def _setup(instance, count: int) -> None:
    from judge.core.db import unit_of_work, utcnow
    from judge.submissions import heartbeat

    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="accuracy")
    teams = [make.team(competition).id for _ in range(100)]
    _submissions(problem.id, teams, count)
    with unit_of_work():
        for n in range(4):
            heartbeat.beat(f"bench{n}@host", 2, utcnow())


def _row(n: int, problem_id: int, team_id: int, when, rng: random.Random) -> dict:
    from judge.submissions.models import FailureKind, Status

    status = (Status.QUEUED if n % 100 == 0 else Status.RUNNING if n % 1000 == 1
              else Status.FAILED if n % 10 == 2 else Status.SCORED)  # fmt: skip
    finished = status in (Status.SCORED, Status.FAILED)
    reason = REASONS[n % len(REASONS)] if status == Status.FAILED else None
    run = rng.uniform(1, 60)
    return {"problem_id": problem_id, "team_id": team_id, "user_id": None,
            "filename": "p.csv", "description": "", "storage_key": "0" * 64, "size": 1000,
            "status": status, "quota_day": when.date().isoformat(), "counted": True,
            "selected": False, "attempts": 1, "worker": "bench0@host",
            "failure_kind": FailureKind.INVALID if reason else None, "failure_reason": reason,
            "created_at": when, "enqueued_at": when,
            "started_at": when if status != Status.QUEUED else None,
            "finished_at": when + timedelta(seconds=run) if finished else None,
            "run_seconds": run if finished else None}  # fmt: skip


def _submissions(problem_id: int, teams: list[int], count: int) -> None:
    import sqlalchemy as sa

    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.submissions.models import Submission

    rng = random.Random(7)
    start = utcnow() - timedelta(days=30)
    with unit_of_work():
        for offset in range(0, count, CHUNK):
            rows = [_row(n, problem_id, teams[n % len(teams)],
                         start + timedelta(seconds=20 * n), rng)
                    for n in range(offset, min(offset + CHUNK, count))]  # fmt: skip
            db.session.execute(sa.insert(Submission), rows)


if __name__ == "__main__":
    main()
