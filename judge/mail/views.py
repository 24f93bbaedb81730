"""The administrators' outbox: every recorded message (to, kind, when, status) and its text."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from judge.core.web import require_admin
from judge.mail import delivery, services

bp = Blueprint("mail", __name__)
bp.before_request(require_admin)

# The HTML part is shown on its own, with nothing it could load or run.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@bp.get("/admin/outbox")
def outbox():
    return render_template(
        "mail/outbox.html", messages=services.recent(), folder=delivery.outbox_dir()
    )


def _message(mail_id: int):
    record = services.get(mail_id)
    if record is None:
        abort(404)
    return record


@bp.get("/admin/outbox/<int:mail_id>")
def message(mail_id: int):
    record = _message(mail_id)
    text, _html = services.shown_to_admins(record)
    return render_template("mail/message.html", message=record, text=text)


@bp.get("/admin/outbox/<int:mail_id>/html")
def message_html(mail_id: int):
    _text, html = services.shown_to_admins(_message(mail_id))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_POLICY
    return response
