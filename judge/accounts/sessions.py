"""Logged-in browsers: the session cookie carries the random id of a session record, and
opens pages only while that record is live (logging out ends it on the server)."""

from __future__ import annotations

from datetime import datetime

from flask import g, session
from flask_login import login_user, logout_user

from judge.accounts import services
from judge.accounts.models import User, UserSession
from judge.core.db import commit_after_response, utcnow

SESSION_KEY = "_session"


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of this browser's live session record."""
    record = services.live_session(session.get(SESSION_KEY))
    if record is None or str(record.user_id) != user_id:
        return None
    now, record_id = utcnow(), record.id
    if now - record.last_seen_at > services.USE_RECORD_INTERVAL:
        commit_after_response(
            lambda: services.record_session_seen(record_id, now), "record a session's use"
        )
    g.user_session = record
    return record.user


def current() -> UserSession | None:
    """This browser's session record (after the user was loaded)."""
    return g.get("user_session")


def log_in(user: User, now: datetime) -> None:
    """Start a session record for ``user`` in this browser, ending any it had before."""
    services.end_session(session.get(SESSION_KEY), now)
    session[SESSION_KEY] = services.start_session(user, now)
    login_user(user)
    session.permanent = True


def log_out(now: datetime) -> None:
    services.end_session(session.pop(SESSION_KEY, None), now)
    logout_user()
