"""``/health``: can this web process serve, and is the rest of the platform there?

Two probes run side by side, each in a daemon thread with a deadline
(``HEALTH_TIMEOUT_SECONDS``, 1 s by default), so the answer is never slow even when a
server hangs: the database (``SELECT 1``, then the queue and the worker heartbeats,
a few small indexed queries) and the broker (a Redis ``PING``, or opening the embedded
SQLite broker). Those who may read ``/metrics`` also see the queue per problem (ids
only: a draft competition's problem titles stay hidden). A probe that fails reports only
the exception's class name: driver messages can name hosts. The answer is 200 when the
database answers (``status`` is "degraded" if the broker or every worker is missing, or a
submission has waited longer than ``HEALTH_QUEUE_SECONDS`` for a worker) and 503 when it
does not.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa
from flask import Flask

from judge.core.db import utcnow
from judge.submissions import monitoring

log = logging.getLogger(__name__)


class _Probe:
    """Run ``check`` in a daemon thread; a hung server only ever costs the deadline."""

    def __init__(self, check: Callable[[], dict[str, Any]]) -> None:
        self.result: dict[str, Any] | None = None
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self._run, args=(check,), daemon=True)
        self.thread.start()

    def _run(self, check: Callable[[], dict[str, Any]]) -> None:
        try:
            result = {"ok": True, **check()}
        except Exception as exc:
            log.warning("health check failed: %s", type(exc).__name__)
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - self.started) * 1000, 1)
        self.result = result

    def wait(self, deadline: float) -> dict[str, Any]:
        self.thread.join(max(deadline - time.perf_counter(), 0))
        return self.result or {"ok": False, "error": "timeout"}


def check(app: Flask, operator: bool = False) -> tuple[dict[str, Any], int]:
    """The health document and its HTTP status; the queue per problem for an ``operator``
    (one who may read ``/metrics``): problem ids only, never titles."""
    timeout = float(app.config["HEALTH_TIMEOUT_SECONDS"])
    deadline = time.perf_counter() + timeout
    engine = _engine(app)
    stale = timedelta(seconds=3 * float(app.config["WORKER_HEARTBEAT_SECONDS"]))
    database = _Probe(lambda: _database(engine, timeout, stale, operator))
    broker = _Probe(lambda: _broker(app.config["BROKER_URL"], timeout))
    wait_limit = float(app.config["HEALTH_QUEUE_SECONDS"])
    return _document(database.wait(deadline), broker.wait(deadline), wait_limit)


def _engine(app: Flask) -> sa.Engine:
    from judge.core.extensions import db

    with app.app_context():
        return db.engine


def _document(database: dict[str, Any], broker: dict[str, Any],
              wait_limit: float) -> tuple[dict[str, Any], int]:  # fmt: skip
    queue = database.pop("queue", None)
    workers = database.pop("workers", None)
    by_problem = database.pop("by_problem", None)
    checks = {"database": database, "broker": broker,
              "workers": _workers_check(workers),
              "queue": _queue_check(queue, wait_limit)}  # fmt: skip
    if by_problem is not None and queue is not None:
        checks["queue"]["by_problem"] = [_problem_queue(p) for p in by_problem]
    if not database["ok"]:
        return {"status": "down", "checks": checks}, 503
    healthy = all(c["ok"] for c in checks.values())
    return {"status": "ok" if healthy else "degraded", "checks": checks}, 200


def _workers_check(workers: monitoring.Workers | None) -> dict[str, Any]:
    if workers is None:
        return {"ok": False, "error": "database"}
    return {"ok": workers.live > 0, "live": workers.live, "slots": workers.slots,
            "busy": workers.busy}  # fmt: skip


def _queue_check(queue: monitoring.Queue | None, wait_limit: float) -> dict[str, Any]:
    """Not ok when a submission has waited longer than ``wait_limit`` for a worker: workers
    that beat but take nothing (stuck, or listening to another queue) are noticed too."""
    if queue is None:
        return {"ok": False, "error": "database"}
    return {"ok": queue.oldest_queued_seconds <= wait_limit,
            "queued": queue.queued, "running": queue.running,
            "oldest_queued_seconds": round(queue.oldest_queued_seconds, 1),
            "oldest_running_seconds": round(queue.oldest_running_seconds, 1),
            "wait_limit_seconds": wait_limit}  # fmt: skip


def _problem_queue(queue: monitoring.ProblemQueue) -> dict[str, Any]:
    return {"problem": queue.problem_id, "queued": queue.queued,
            "oldest_queued_seconds": round(queue.oldest_queued_seconds, 1)}  # fmt: skip


def _database(engine: sa.Engine, timeout: float, stale: timedelta,
              operator: bool) -> dict[str, Any]:  # fmt: skip
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
        conn.execute(sa.text("SELECT 1"))
        started = time.perf_counter()
        now = utcnow()
        facts = {
            "queue": monitoring.queue(conn, now),
            "workers": monitoring.workers(conn, now, stale),
        }
        if operator:
            facts["by_problem"] = monitoring.queue_by_problem(conn, now)
        facts["query_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return facts


def _broker(url: str, timeout: float) -> dict[str, Any]:
    if url.startswith("sqla+sqlite:"):
        _sqlite_broker(url.removeprefix("sqla+sqlite:///"), timeout)
    elif url.startswith("sqla+"):
        with _broker_engine(url.removeprefix("sqla+")).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    elif url.startswith(("redis://", "rediss://", "unix://")):
        _redis(url, timeout).ping()
    else:
        return {"checked": False}
    return {}


def _sqlite_broker(path: str, timeout: float) -> None:
    """The embedded broker's file opens (the first worker or upload creates it)."""
    if not Path(path).exists():
        if not Path(path).parent.is_dir():
            raise FileNotFoundError("broker directory")
        return
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


@lru_cache(maxsize=4)
def _redis(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


@lru_cache(maxsize=4)
def _broker_engine(url: str) -> sa.Engine:
    return sa.create_engine(url, pool_size=1, max_overflow=1, pool_pre_ping=True)
