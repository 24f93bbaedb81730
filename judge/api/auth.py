"""Bearer-token authentication for the API (sessions and cookies are not used here)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import Flask, Response, after_this_request, current_app, request
from flask_babel import gettext as _

from judge.accounts import services as accounts
from judge.accounts.models import User
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Forbidden, NotFound, Unauthorized
from judge.core.i18n import API_ACTOR_KEY

log = logging.getLogger(__name__)

SECURITY = [{"bearerAuth": []}]
CACHE_KEY = API_ACTOR_KEY


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized(_("Send the token as “Authorization: Bearer <token>”."))
    return value.strip()


def actor() -> User | None:
    """The token's owner, None without a token; a bad token is refused with 401."""
    cache = request.environ  # per request, unlike g, which lives as long as the app context
    if CACHE_KEY not in cache:
        plain = _bearer_token()
        token = accounts.active_token(plain) if plain else None
        if plain and token is None:
            raise Unauthorized(_("The API token is unknown or revoked."))
        now = utcnow()
        if token is not None and accounts.use_is_stale(token, now):
            _record_use_after_response(token.id, now)
        cache[CACHE_KEY] = token.user if token else None
    return cache[CACHE_KEY]


def _record_use_after_response(token_id: int, now: datetime) -> None:
    """Note the token's use once the answer is sent: a write transaction of its own would
    otherwise wait for the database's write lock before the request even starts its work
    (on SQLite, under a deadline surge, that wait was most of an upload's latency)."""
    app = current_app._get_current_object()

    @after_this_request
    def _schedule(response: Response) -> Response:
        response.call_on_close(lambda: _record_use(app, token_id, now))
        return response


def _record_use(app: Flask, token_id: int, now: datetime) -> None:
    try:
        with app.app_context(), unit_of_work():
            accounts.record_token_use(token_id, now)
    except Exception:  # only a "last used" date: never an error for the caller
        log.warning("could not record the use of API token %s", token_id, exc_info=True)


def required_actor() -> User:
    user = actor()
    if user is None:
        raise Unauthorized(_("This needs an API token: Authorization: Bearer <token>."))
    return user


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse the call with 401 unless a valid token came with it."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        required_actor()
        return view(*args, **kwargs)

    return wrapper


def allow(condition: bool, *, hide: bool = False) -> None:
    """403 when ``condition`` fails, or 404 when the resource must stay hidden."""
    if not condition:
        if hide:
            raise NotFound(_("Nothing was found at this address."))
        raise Forbidden(_("You do not have permission to do this."))
