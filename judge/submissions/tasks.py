"""Celery tasks. They carry only ids; the work lives in judge.submissions.jobs."""

from __future__ import annotations

import socket

from celery import shared_task

from judge.submissions import jobs


@shared_task(name="judge.score_submission", bind=True)
def score_submission_task(self, submission_id: int) -> str:
    return jobs.score_submission(submission_id, self.request.hostname or socket.gethostname())


@shared_task(name="judge.maintenance.sweep")
def sweep_task() -> int:
    return jobs.sweep()
