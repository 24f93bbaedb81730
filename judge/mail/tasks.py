"""The Celery task that sends one recorded message, by id."""

from __future__ import annotations

from celery import shared_task

from judge.core import queue
from judge.mail import delivery
from judge.mail.models import OutgoingMail


@shared_task(name="judge.mail.send", bind=True, max_retries=None)
def send_mail_task(self, mail_id: int) -> None:
    if delivery.send(mail_id):
        raise self.retry(countdown=delivery.retry_delay(mail_id))


def enqueue(record: OutgoingMail | None) -> None:
    """Hand a committed message to the workers (call only after the commit)."""
    if record is not None:
        queue.send(send_mail_task, record.id)
