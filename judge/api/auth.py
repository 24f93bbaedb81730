"""Bearer-token authentication for the API (sessions and cookies are not used here)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from flask_babel import gettext as _

from judge.accounts import services as accounts
from judge.accounts.models import ApiToken, User
from judge.core import web
from judge.core.db import commit_after_response, utcnow
from judge.core.errors import Forbidden, NotFound, Unauthorized
from judge.core.i18n import API_ACTOR_KEY

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
        if token is not None:
            accounts.require_active(token.user)
            _note_use(token)
        cache[CACHE_KEY] = token.user if token else None
    return cache[CACHE_KEY]


def _note_use(token: ApiToken) -> None:
    now, token_id = utcnow(), token.id
    if accounts.use_is_stale(token, now):
        commit_after_response(
            lambda: accounts.record_token_use(token_id, now),
            f"record the use of API token {token_id}",
        )


def caller() -> User | None:
    """Who asks: the token's owner under /api/, the session's user on the pages."""
    return actor() if request.path.startswith("/api/") else web.actor()


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
