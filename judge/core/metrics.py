"""``/metrics`` for Prometheus, computed from the database at scrape time.

gunicorn runs several web processes and the workers run on other hosts, so counters
kept in process memory would differ from scrape to scrape. Every figure here is read
from the database (the truth) by a custom collector: any web process gives the same
answer. Labels are states, reasons, problem ids and metric names: nothing per team.

Access: with ``METRICS_TOKEN`` set, only ``Authorization: Bearer <token>``; without it,
only requests from this host that came through no proxy.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from ipaddress import ip_address

from flask import Flask, Request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from judge.core.db import utcnow
from judge.core.extensions import db
from judge.submissions import monitoring

log = logging.getLogger(__name__)

#: Upper bounds (seconds) of the scoring time histogram.
SCORING_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def allowed(request: Request, token: str | None) -> bool:
    """A scrape is allowed with the configured bearer token, or else from this host only."""
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    if any(request.headers.get(name) for name in PROXY_HEADERS):
        return False  # a proxy on this host may be relaying anyone
    try:
        return ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


class DatabaseCollector(Collector):
    """Queue depth, workers, failures, scoring times: one set of small queries per scrape."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        up = GaugeMetricFamily("judge_database_up", "1 if the database answered this scrape.")
        try:
            families = list(self._families())
        except Exception as exc:
            db.session.rollback()
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            families = []
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families
        took = GaugeMetricFamily("judge_metrics_scrape_seconds", "Time spent on this scrape.")
        took.add_metric([], time.perf_counter() - started)
        yield took

    def _families(self) -> Iterator[Metric]:
        conn, now = db.session, utcnow()
        totals = monitoring.totals(conn, SCORING_BUCKETS)
        yield from _queue(monitoring.queue(conn, now), totals.by_status)
        yield from _queue_by_problem(monitoring.queue_by_problem(conn, now))
        stale = timedelta(seconds=3 * float(self.app.config["WORKER_HEARTBEAT_SECONDS"]))
        yield from _workers(monitoring.workers(conn, now, stale))
        yield _accepted(totals.accepted)
        yield _failures(totals.failures)
        yield _counter("judge_scoring_retries", "Extra scoring runs after a worker died.",
                       totals.retries)  # fmt: skip
        yield _histogram(totals.timings)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=value)


def _queue(queue: monitoring.Queue, counts: dict[str, int]) -> Iterator[Metric]:
    by_state = GaugeMetricFamily("judge_submissions", "Submissions by state.", labels=["state"])
    for state, n in counts.items():
        by_state.add_metric([state], n)
    yield by_state
    yield _gauge("judge_queue_oldest_seconds", "Age of the oldest queued submission (0: none).",
                 queue.oldest_queued_seconds)  # fmt: skip
    yield _gauge("judge_running_oldest_seconds", "How long the longest running job has run.",
                 queue.oldest_running_seconds)  # fmt: skip


def _queue_by_problem(queues: list[monitoring.ProblemQueue]) -> Iterator[Metric]:
    depth = GaugeMetricFamily("judge_problem_queue_depth",
                              "Submissions waiting for a worker, per problem with any.",
                              labels=["problem"])  # fmt: skip
    oldest = GaugeMetricFamily("judge_problem_queue_oldest_seconds",
                               "Age of the problem's oldest queued submission.",
                               labels=["problem"])  # fmt: skip
    for queue in queues:
        depth.add_metric([str(queue.problem_id)], queue.queued)
        oldest.add_metric([str(queue.problem_id)], queue.oldest_queued_seconds)
    yield depth
    yield oldest


def _workers(workers: monitoring.Workers) -> Iterator[Metric]:
    yield _gauge("judge_workers_live", "Workers with a fresh heartbeat.", workers.live)
    yield _gauge("judge_worker_slots", "Jobs the live workers can run at once.", workers.slots)
    yield _gauge("judge_worker_slots_busy", "Jobs the live workers are running.", workers.busy)


def _accepted(by_problem: dict[int, int]) -> CounterMetricFamily:
    family = CounterMetricFamily("judge_submissions_accepted", "Submissions accepted (uploaded).",
                                 labels=["problem"])  # fmt: skip
    for problem_id, n in sorted(by_problem.items()):
        family.add_metric([str(problem_id)], n)
    return family


def _failures(by_reason: dict[str, int]) -> CounterMetricFamily:
    family = CounterMetricFamily("judge_submission_failures", "Failed submissions by reason.",
                                 labels=["reason"])  # fmt: skip
    for reason, n in by_reason.items():
        family.add_metric([reason], n)
    return family


def _histogram(timings: list[monitoring.Timings]) -> HistogramMetricFamily:
    family = HistogramMetricFamily("judge_scoring_seconds",
                                   "Duration of each finished submission's last scoring run.",
                                   labels=["problem", "metric"])  # fmt: skip
    for t in timings:
        buckets = [(str(float(b)), n) for b, n in zip(SCORING_BUCKETS, t.buckets, strict=True)]
        family.add_metric([str(t.problem_id), t.metric], [*buckets, ("+Inf", t.count)],
                          t.total_seconds)  # fmt: skip
    return family


def render(app: Flask) -> bytes:
    registry = app.extensions.get("judge_metrics")
    if registry is None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(DatabaseCollector(app))
        app.extensions["judge_metrics"] = registry
    return generate_latest(registry)
