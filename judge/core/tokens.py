"""Secret tokens for links sent to people: the link carries the token, the database only
its SHA-256 (the mail that carried it keeps it only until it is sent through a mail server;
see judge.mail.services.withheld)."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urljoin

from flask import current_app, url_for


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to store."""
    token = secrets.token_urlsafe(24)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def absolute_url(endpoint: str, **values: str) -> str:
    """The address of ``endpoint`` on the public site, for a message sent by mail."""
    return urljoin(current_app.config["PUBLIC_URL"], url_for(endpoint, **values))
