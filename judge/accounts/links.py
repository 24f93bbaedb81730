"""Signed links sent by mail that expire and work once (password reset, address check).

A link carries an account's id and a fingerprint of what following it changes (the
password hash, the address to verify), signed with the secret key under a salt of its
own: it stops working after its lifetime, and its service refuses it once the act is done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from judge.accounts.models import User
from judge.core.errors import Invalid
from judge.core.extensions import db


def fingerprint(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def mail_key(kind: str, secret: str) -> str:
    """The outgoing-mail key of a message carrying ``secret`` (only a digest of it)."""
    return f"{kind}:{hashlib.sha256(secret.encode()).hexdigest()[:48]}"


def not_valid() -> str:
    return _(
        "This link is not valid. Please copy the whole link from the message, or ask for a new one."
    )


@dataclass(frozen=True)
class LinkKind:
    """One purpose of links: its signing salt and the setting naming its lifetime."""

    salt: str
    lifetime_setting: str

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.secret_key, salt=self.salt)

    def seconds(self) -> int:
        return int(current_app.config[self.lifetime_setting])

    def minutes(self) -> int:
        return -(-self.seconds() // 60)

    def token(self, user_id: int, mark: str) -> str:
        return self._serializer().dumps([user_id, fingerprint(mark)])

    def load(self, token: str) -> tuple[User, str]:
        """The active account a link is for and the fingerprint it carries; Invalid with
        the reason when the link is forged or expired."""
        try:
            user_id, mark = self._serializer().loads(token, max_age=self.seconds())
        except SignatureExpired as exc:
            raise Invalid(_("This link has expired. Please ask for a new one.")) from exc
        except (BadData, ValueError, TypeError) as exc:
            raise Invalid(not_valid()) from exc
        user = db.session.get(User, user_id) if isinstance(user_id, int) else None
        if user is None or not user.is_active:
            raise Invalid(not_valid())
        return user, mark
