"""Sending a recorded message: through SMTP when MAIL_SERVER is set, else into the outbox
folder (instance/outbox/, one .eml file per message) so the embedded defaults show it."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_mailman import EmailMultiAlternatives

from judge.core.db import unit_of_work, utcnow
from judge.mail import services
from judge.mail.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)

# What a refusing, unreachable or failing SMTP server raises.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def outbox_dir() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"] or Path(current_app.instance_path, "outbox"))


def message_of(record: OutgoingMail) -> EmailMultiAlternatives:
    """The message with plain text and HTML parts; its Message-ID comes from the record's
    key, so a receiving server that sees it twice can tell it is one message."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "judge"
    message_id = hashlib.sha256(record.key.encode()).hexdigest()[:32]
    message = EmailMultiAlternatives(
        subject=record.subject,
        body=record.body_text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[record.recipient],
        headers={"Message-ID": f"<{message_id}@{host}>", "Content-Language": record.locale},
    )
    message.attach_alternative(record.body_html, "text/html")
    return message


def transmit(record: OutgoingMail) -> None:
    message = message_of(record)
    if not current_app.config["MAIL_SERVER"]:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record.id:06d}-{record.kind}.eml").write_bytes(message.message().as_bytes())
        return
    mailman = current_app.extensions["mailman"]
    with mailman.get_connection(backend="smtp", fail_silently=False) as connection:
        connection.send_messages([message])


def send(mail_id: int) -> bool:
    """Send a queued message once; True when a failed attempt should be tried again.

    A message already sent (a re-delivered task) or given up on is left alone.
    """
    with unit_of_work():
        record = services.get(mail_id)
        if record is None or record.status is not MailStatus.QUEUED:
            return False
        try:
            transmit(record)
        except SEND_ERRORS as exc:
            log.warning("mail %s to %s not sent: %s", record.id, record.kind, exc)
            limit = int(current_app.config["MAIL_MAX_ATTEMPTS"])
            return services.mark_attempt_failed(record, f"{type(exc).__name__}: {exc}", limit)
        services.mark_sent(record, utcnow())
        return False


def retry_delay(mail_id: int) -> float:
    """Seconds before the next attempt: MAIL_RETRY_SECONDS, doubled after each failure."""
    record = services.get(mail_id)
    attempts = record.attempts if record is not None else 1
    return float(current_app.config["MAIL_RETRY_SECONDS"]) * 2 ** max(attempts - 1, 0)
