"""Celery task of stage two: the rank bootstrap runs in the worker, not in a request."""

from __future__ import annotations

from celery import shared_task

from judge.finals import reproduction, stability


@shared_task(name="judge.finals.rank_stability")
def rank_stability_task(problem_id: int) -> int:
    return stability.compute(problem_id)


@shared_task(name="judge.finals.reproduce")
def reproduce_task(finalist_id: int) -> str:
    return reproduction.reproduce(finalist_id)
