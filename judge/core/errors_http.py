"""Turning errors into answers: JSON under /api, an error page elsewhere."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from judge.core.errors import Conflict, DomainError, TooManyAttempts
from judge.core.extensions import db, login_manager
from judge.core.validation_messages import translate

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def wants_json() -> bool:
    return request.path.startswith(API_PREFIX)


def error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v})
    return {"error": body}


def http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def http_message(exc: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in or send a valid API token."),
        403: _("You do not have permission to do this."),
        404: _("Nothing was found at this address."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The upload is too large."),
        422: _("Some fields are invalid."),
        429: _("Too many requests. Please wait a moment."),
    }
    return messages.get(exc.code or 500, exc.description or _("Something went wrong."))


def render_error(status: int, code: str, message: str, **extra: Any):
    if wants_json():
        return jsonify(error_body(status, code, message, **extra)), status
    return render_template("error.html", status=status, message=message), status


def handle_domain_error(exc: DomainError):
    db.session.rollback()
    response = make_response(
        render_error(exc.status, exc.code, exc.message, field=exc.field, details=exc.details)
    )
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_http_exception(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if exc.code == 422 and wants_json():
        return _validation_error(exc)
    return render_error(exc.code, http_code(exc), http_message(exc))


def _validation_error(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    fields = data.get("messages") or data.get("errors") or {}
    flat = (
        {name: errs for location in fields.values() for name, errs in location.items()}
        if (fields and all(isinstance(v, dict) for v in fields.values()))
        else fields
    )
    return render_error(422, "invalid", _("Some fields are invalid."), fields=translate(flat))


def handle_csrf(exc: CSRFError):
    return render_error(
        400,
        "csrf",
        _("The form expired or was sent from elsewhere. Reload the page and try again."),
    )


def handle_integrity(exc: IntegrityError):
    db.session.rollback()
    log.info("integrity error turned into 409: %s", exc.orig)
    conflict = Conflict(_("This conflicts with existing data (it may have just been created)."))
    return render_error(conflict.status, conflict.code, conflict.message)


RETRY_AFTER_SECONDS = 10


def handle_database_unavailable(exc: OperationalError | InterfaceError):
    """The database is down, restarting or refusing connections: 503 at once, not a 500.

    The page is rendered for an anonymous visitor, since the user cannot be loaded.
    """
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    log.warning("database unavailable on %s %s: %s", request.method, request.path, reason[:200])
    message = _("The service is briefly unavailable. Please try again in a minute.")
    response = make_response(render_error(503, "unavailable", message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected(exc: Exception):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(
        500, "internal_error", _("Something went wrong on our side. Please try again.")
    )


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
