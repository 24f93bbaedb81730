"""The Celery task that sends one recorded message, by id."""

from __future__ import annotations

from celery import shared_task

from judge.mail import delivery


@shared_task(name="judge.mail.send", bind=True, max_retries=None)
def send_mail_task(self, mail_id: int) -> None:
    if delivery.send(mail_id):
        raise self.retry(countdown=delivery.retry_delay(mail_id))
