"""Celery tasks. They carry only ids; the work lives in judge.submissions.jobs."""

from __future__ import annotations

import logging
import socket

from celery import shared_task

from judge.core.db import CONNECTION_ERRORS
from judge.submissions import jobs

log = logging.getLogger(__name__)


@shared_task(name="judge.score_submission", bind=True)
def score_submission_task(self, submission_id: int) -> str:
    return jobs.score_submission(submission_id, self.request.hostname or socket.gethostname())


@shared_task(name="judge.maintenance.sweep")
def sweep_task() -> int:
    try:
        return jobs.sweep()
    except CONNECTION_ERRORS as exc:  # the next sweep, seconds later, will do the work
        log.warning("sweep skipped: database unavailable (%s)", type(exc.orig).__name__)
        return 0
