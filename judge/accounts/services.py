"""Registering, authenticating, and managing API tokens. Services flush, never commit."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from judge.accounts import names
from judge.accounts.models import ApiToken, User, UserSession
from judge.audit import log as audit
from judge.core.db import utcnow
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


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash of nothing anyone knows, made like real ones, to check unknown accounts against."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD),
            field="password",
        )


def sign_up(
    email: str, name: str, password: str, affiliation: str = "", *, is_admin: bool = False
) -> User | None:
    """Create an account, or None when the address has one already.

    The form is checked first and the password hashed either way, so that neither the
    answer nor the time it takes tells whether the address had an account.
    """
    email = normalize_email(email)
    _check_password(password)
    name, affiliation = names.clean_name(name), names.clean_affiliation(affiliation)
    password_hash = _hash(password)
    if user_by_email(email) is not None:
        return None
    user = User(
        email=email,
        name=name,
        affiliation=affiliation,
        password_hash=password_hash,
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(
    email: str, name: str, password: str, affiliation: str = "", *, is_admin: bool = False
) -> User:
    """Create an account for an administrator, who is told when the address has one; the
    administrator vouches for the address, so it counts as verified."""
    user = sign_up(email, name, password, affiliation, is_admin=is_admin)
    if user is None:
        raise Conflict(_("An account with this email already exists."), field="email")
    user.email_verified_at = utcnow()
    db.session.flush()
    return user


def verify_password(email: str, password: str) -> User | None:
    """The user with these credentials, or None. An unknown address costs the same hashing
    as a known one, so the time does not tell whether it has an account."""
    user = user_by_email(email)
    stored = user.password_hash if user else _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    matches = check_password_hash(stored, password)
    return user if user is not None and matches else None


def require_active(user: User) -> User:
    if not user.is_active:
        raise Unauthorized(_("This account is disabled."))
    return user


def change_password(
    user: User, current: str, new: str, *, keep: UserSession | None, now: datetime
) -> None:
    """Replace the password; every session but ``keep`` (the one asking) and every API
    token end, so a copied cookie or token, or a browser left logged in elsewhere, no
    longer opens the account."""
    if not check_password_hash(user.password_hash, current):
        raise Invalid(_("The current password is incorrect."), field="current_password")
    set_password(user, new, now, keep=keep)


def set_password(user: User, new: str, now: datetime, *, keep: UserSession | None = None) -> None:
    """Replace the password, ending every session but ``keep`` and revoking every API token."""
    _check_password(new)
    user.password_hash = _hash(new)
    end_sessions(user, now, keep=keep)
    revoke_tokens(user, now)


def start_session(user: User, now: datetime) -> str:
    """Record a new login; returns its random id, which only the session cookie carries."""
    plain = secrets.token_urlsafe(32)
    record = UserSession(user=user, key_hash=_digest(plain), created_at=now, last_seen_at=now)
    db.session.add(record)
    db.session.flush()
    return plain


def live_session(plain: str | None) -> UserSession | None:
    """The session with this id, unless it ended or its user is disabled."""
    if not plain:
        return None
    query = sa.select(UserSession).options(joinedload(UserSession.user))
    record = db.session.scalar(query.where(UserSession.key_hash == _digest(plain)))
    if record is None or record.revoked_at is not None or not record.user.is_active:
        return None
    return record


def end_session(plain: str | None, now: datetime) -> None:
    record = live_session(plain)
    if record is not None:
        record.revoked_at = now


def end_sessions(user: User, now: datetime, *, keep: UserSession | None = None) -> None:
    """End every live session of ``user`` (but ``keep``): log out everywhere."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query.values(revoked_at=now).execution_options(synchronize_session=False))
    db.session.flush()


def sessions_of(user: User) -> list[UserSession]:
    """The user's live sessions, newest first."""
    query = sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(UserSession.id.desc())))


def record_session_seen(session_id: int, now: datetime) -> None:
    """Note that a session was used, unless a parallel request did within the minute."""
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == session_id, UserSession.last_seen_at < now - USE_RECORD_INTERVAL)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def disable_user(user: User, actor: User | None, now: datetime) -> None:
    """Lock the account: its sessions end and its API tokens are revoked (audited)."""
    if actor is not None and actor.id == user.id:
        raise Conflict(_("You cannot disable your own account."))
    if user.disabled_at is None:
        user.disabled_at = now
        end_sessions(user, now)
        revoke_tokens(user, now)
        audit.record(actor, "user_disabled", None, user.email, {"active": True}, {"active": False})


def enable_user(user: User, actor: User | None) -> None:
    """Let a disabled account log in again (audited); its owner makes new API tokens."""
    if user.deleted:
        raise Conflict(_("This account was deleted at its owner's request."))
    if user.disabled_at is not None:
        user.disabled_at = None
        audit.record(actor, "user_enabled", None, user.email, {"active": False}, {"active": True})


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


def revoke_tokens(user: User, now: datetime) -> None:
    """Revoke every active API token of ``user``."""
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


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
