"""Celery tasks. They carry only ids, or none; the work lives in judge.submissions.jobs."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

from celery import shared_task
from flask import current_app

from judge.core import orphans
from judge.core.db import CONNECTION_ERRORS, unit_of_work, utcnow
from judge.submissions import jobs

log = logging.getLogger(__name__)


@shared_task(name="judge.score_next", bind=True)
def score_next_task(self) -> str:
    """Score the submission the fair queue serves next (see judge.submissions.turns)."""
    return jobs.score_next(self.request.hostname or socket.gethostname())


@shared_task(name="judge.score_submission", bind=True)
def score_submission_task(self, submission_id: int) -> str:
    """Score this submission: messages published before the fair queue still arrive."""
    return jobs.score_submission(submission_id, self.request.hostname or socket.gethostname())


@shared_task(name="judge.maintenance.sweep")
def sweep_task() -> int:
    try:
        return jobs.sweep()
    except CONNECTION_ERRORS as exc:  # the next sweep, seconds later, will do the work
        log.warning("sweep skipped: database unavailable (%s)", type(exc.orig).__name__)
        return 0


@shared_task(name="judge.maintenance.collect_files")
def collect_files_task() -> int:
    """Remove stored files that no row names any more (see judge.core.orphans)."""
    grace = timedelta(seconds=int(current_app.config["STORAGE_ORPHAN_GRACE_SECONDS"]))
    try:
        return orphans.collect(utcnow(), grace)
    except CONNECTION_ERRORS as exc:  # the next run will do the work
        log.warning("file collection skipped: database unavailable (%s)", type(exc.orig).__name__)
        return 0


@shared_task(name="judge.maintenance.carry_phases")
def carry_phases_task() -> int:
    """Carry the entries of phases that closed to the phases that take them (by the beat)."""
    from judge.submissions import carrying

    with unit_of_work():
        return carrying.carry_due(utcnow())
