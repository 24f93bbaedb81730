"""Periodic reminders (Celery beat, maintenance queue): each owner finds whom to remind;
the keys make a second run in the same period notify nobody again."""

from __future__ import annotations

from celery import shared_task

from judge.core.db import unit_of_work, utcnow

REMIND = "judge.notifications.remind"


@shared_task(name=REMIND)
def remind_task() -> int:
    """Deadline in 24 hours, daily limits reset, hand-in reminders; returns how many."""
    from judge.competitions.reminders import remind_deadline
    from judge.finals.news import remind_hand_in
    from judge.submissions.news import remind_limits_reset

    made = 0
    for remind in (remind_deadline, remind_hand_in, remind_limits_reset):
        with unit_of_work():
            made += remind(utcnow())
    return made
