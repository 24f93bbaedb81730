"""/api/v1/tokens and /api/v1/me: personal API tokens and your own settings."""

from __future__ import annotations

from flask import after_this_request, request

from judge.accounts import services as accounts
from judge.accounts import throttle
from judge.api import schemas
from judge.api.auth import SECURITY, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.core.db import unit_of_work, utcnow

PREFIX = ""
blp = Blueprint("api_tokens", __name__, description="Personal API tokens")


@blp.post("/tokens")
@blp.arguments(schemas.TokenRequest)
@blp.response(201, schemas.NewToken)
def create_token(body: dict):
    """Create a token from an email and password. The token is shown only in this answer.

    Failed requests are limited as web logins are (429 with Retry-After); the answer sets a
    device cookie that lets a client that keeps it in while strangers guess the password.
    """
    attempt = throttle.Attempt.of(
        body["email"], request.remote_addr, request.cookies.get(throttle.DEVICE_COOKIE)
    )
    with unit_of_work():
        user = throttle.sign_in(attempt, body["email"], body["password"], utcnow())
        token, plain = accounts.create_token(user, body["name"])
    token.secret = plain  # only on this instance, for this one answer
    after_this_request(lambda response: throttle.remember_device(response, attempt))
    return token


@blp.get("/tokens")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.Token(many=True))
@token_required
def list_tokens():
    """Your tokens (never their secrets)."""
    return accounts.tokens_of(required_actor())


@blp.delete("/tokens/<int:token_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def revoke_token(token_id: int):
    """Revoke one of your tokens; it stops working at once."""
    with unit_of_work():
        accounts.revoke_token(required_actor(), token_id, utcnow())


@blp.get("/me")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.Me)
@token_required
def me():
    """The account the token belongs to."""
    return required_actor()


@blp.patch("/me")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.MeUpdate)
@blp.response(200, schemas.Me)
@token_required
def update_me(body: dict):
    """Change your settings: ``locale`` is the language of pages, messages and API errors."""
    with unit_of_work():
        user = accounts.set_locale(required_actor(), body["locale"])
    return user
