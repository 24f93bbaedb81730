"""The Celery tasks that send one recorded message, by id, and hand over those the broker missed."""

from __future__ import annotations

from celery import shared_task

from judge.core.db import unit_of_work, utcnow
from judge.mail import delivery, services


@shared_task(name="judge.mail.send", bind=True, max_retries=None)
def send_mail_task(self, mail_id: int) -> None:
    if delivery.send(mail_id):
        raise self.retry(countdown=delivery.retry_delay(mail_id))


@shared_task(name="judge.mail.sweep")
def sweep_mail_task() -> int:
    """Hand over again the messages recorded while the broker was down; returns how many."""
    with unit_of_work():
        waiting = services.never_handed_over()
        for record in waiting:
            services.publish_after_commit(record, utcnow())
    return len(waiting)
