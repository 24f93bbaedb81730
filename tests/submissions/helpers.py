"""Submissions made through the real services, scored directly through the lifecycle."""

from __future__ import annotations

import io
from datetime import timedelta

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.submissions import lifecycle
from judge.submissions import services as submissions

LEASE = timedelta(minutes=5)


def submit(problem, user, content: bytes = b"id,label\n1,0\n", name: str = "pred.csv", now=None):
    with unit_of_work(), storage.staged(io.BytesIO(content), 10**7, "file") as staged:
        return submissions.submit(problem, user, staged, name, "", now or utcnow())


def score(submission, public: float, private: float, now=None, details=None):
    """Score a submission as a worker would (claim, then record)."""
    now = now or utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, now, LEASE, "test-worker")
        assert attempt is not None
        assert lifecycle.record_scores(submission, attempt, public, private, "", now, details)
    return submission


def scored(problem, user, public: float, private: float, now=None, details=None):
    return score(submit(problem, user, now=now), public, private, now=now, details=details)
