"""Each worker says it is alive: a row in ``worker_heartbeats`` touched every few seconds.

Chosen over Celery's ``inspect().ping()``: a broadcast needs a fan-out exchange (the
embedded SQLite broker has none), costs a round trip to every worker on each
``/health`` call and waits for its full timeout whenever one worker is slow; a row in
the database is read in a millisecond by any web process, and a worker that is
running but cannot reach the database (so cannot record scores) rightly goes stale.

The thread runs in the worker's main process (not in the pool processes that score),
so a worker busy scoring still beats; a worker that is SIGKILLed or cut off stops
beating and is no longer counted after ``3 × WORKER_HEARTBEAT_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions.models import WorkerHeartbeat

log = logging.getLogger(__name__)

FORGET_AFTER = timedelta(days=1)  # rows of workers gone this long are deleted


def stale_after(config) -> timedelta:
    return timedelta(seconds=3 * float(config["WORKER_HEARTBEAT_SECONDS"]))


def beat(name: str, slots: int, now: datetime) -> None:
    """Record that worker ``name`` is alive now (creating its row on the first beat)."""
    touched = db.session.execute(
        sa.update(WorkerHeartbeat)
        .where(WorkerHeartbeat.name == name)
        .values(seen_at=now, slots=slots)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not touched:
        db.session.add(WorkerHeartbeat(name=name, slots=slots, started_at=now, seen_at=now))
    db.session.execute(
        sa.delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < now - FORGET_AFTER)
    )


def forget(name: str) -> None:
    """A worker that stops cleanly removes its row at once."""
    db.session.execute(sa.delete(WorkerHeartbeat).where(WorkerHeartbeat.name == name))


class Heartbeat:
    """A daemon thread that beats for one worker until stopped."""

    def __init__(self, app: Flask, name: str, slots: int) -> None:
        self.app, self.name, self.slots = app, name[:200], slots
        self.interval = float(app.config["WORKER_HEARTBEAT_SECONDS"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="judge-heartbeat", daemon=True)
        self._failing = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)
        self._safely(lambda: forget(self.name))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._safely(lambda: beat(self.name, self.slots, utcnow()))
            self._stop.wait(self.interval)

    def _safely(self, change) -> None:
        try:
            with self.app.app_context(), unit_of_work():
                change()
        except Exception as exc:  # the database is down: say so once, keep trying
            if not self._failing:
                log.warning("worker heartbeat failed (%s); retrying", type(exc).__name__)
            self._failing = True
        else:
            if self._failing:
                log.info("worker heartbeat recovered")
            self._failing = False
