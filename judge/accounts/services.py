"""Registering, authenticating, and managing API tokens. Services flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from judge.accounts.models import ApiToken, User
from judge.core.errors import Conflict, Invalid, NotFound, Unauthorized
from judge.core.extensions import db

MIN_PASSWORD = 8
TOKEN_PREFIX = "jdg_"
USE_RECORD_INTERVAL = timedelta(minutes=1)


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid(_("This is not a valid email address."), field="email") from exc


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def require_user_by_email(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        raise NotFound(_("No user is registered with %(email)s.", email=email), field="email")
    return user


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def register(
    email: str, name: str, password: str, affiliation: str = "", *, is_admin: bool = False
) -> User:
    """Create an account; the email must be new and the password long enough."""
    email = normalize_email(email)
    if user_by_email(email) is not None:
        raise Conflict(_("An account with this email already exists."), field="email")
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD),
            field="password",
        )
    if not name.strip():
        raise Invalid(_("Please enter your name."), field="name")
    user = User(
        email=email,
        name=name.strip(),
        affiliation=affiliation.strip(),
        password_hash=_hash(password),
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD),
            field="password",
        )
    user.password_hash = _hash(password)


def authenticate(email: str, password: str) -> User:
    """The user with these credentials, or Unauthorized (same message either way)."""
    user = user_by_email(email)
    if user is None or not check_password_hash(user.password_hash, password):
        raise Unauthorized(_("The email or password is incorrect."))
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip()[:100] or _("API token"),
        prefix=plain[:12],
        token_hash=_digest(plain),
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def active_token(plain: str) -> ApiToken | None:
    """The active token whose secret is ``plain``; None if unknown or revoked."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    return token if token is not None and token.active else None


def use_is_stale(token: ApiToken, now: datetime) -> bool:
    """Whether the token's last use should be recorded again (at most once a minute)."""
    return token.last_used_at is None or now - token.last_used_at > USE_RECORD_INTERVAL


def record_token_use(token_id: int, now: datetime) -> None:
    """Note a token's use, unless a parallel request already did within the minute."""
    db.session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token_id,
            sa.or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - USE_RECORD_INTERVAL,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def token_owner_locale(plain: str) -> str | None:
    """The saved language of an active token's owner; reads only, records nothing."""
    return db.session.scalar(
        sa.select(User.locale)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(plain), ApiToken.revoked_at.is_(None))
    )


def revoke_token(user: User, token_id: int, now: datetime) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def set_locale(user: User, code: str | None) -> User:
    """Save the language the user reads the site in (None: follow the browser)."""
    if code is not None and code not in current_app.config["LANGUAGES"]:
        raise Invalid(_("This language is not available."), field="locale")
    user.locale = code
    db.session.flush()
    return user
