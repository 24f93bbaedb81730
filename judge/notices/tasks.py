"""Telling every participant about a notice, in batches, in a worker."""

from __future__ import annotations

from celery import shared_task

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notices import services
from judge.notices.models import Notice


@shared_task(name=services.FAN_OUT)
def fan_out_task(notice_id: int) -> int:
    """Notify the notice's participants, one committed batch at a time; run again (a
    re-delivered task), it notifies nobody twice. Returns how many were notified now."""
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        return 0
    made = 0
    for users in services.participant_batches(notice):
        with unit_of_work():
            made += services.notify_participants(notice, users, utcnow())
    return made
