"""Signed, expiring tokens that let a worker on another host fetch one file of one job.

A worker without the web servers' storage asks the app for a submission's file and its
problem's prepared solution with a token signed by ``FILES_KEY``, a secret only the web
servers and the workers hold. The token names the file's content hash, the submission
and the attempt; it expires after ``FILES_URL_SECONDS`` and the app honours it only
while that attempt still holds the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "judge.worker-files.v1"


@dataclass(frozen=True)
class FileGrant:
    key: str  # the file's SHA-256, which is also its storage key
    submission_id: int
    attempt: int


def _serializer() -> URLSafeTimedSerializer | None:
    secret = current_app.config.get("FILES_KEY")
    return URLSafeTimedSerializer(str(secret), salt=SALT) if secret else None


def sign(grant: FileGrant) -> str:
    serializer = _serializer()
    if serializer is None:
        raise RuntimeError("FILES_KEY is not set: workers cannot fetch files through the app")
    return serializer.dumps([grant.key, grant.submission_id, grant.attempt])


def verify(token: str) -> FileGrant | None:
    """The grant a token carries, or None if it is unsigned, tampered with or expired."""
    serializer = _serializer()
    if serializer is None:
        return None
    try:
        key, submission_id, attempt = serializer.loads(
            token, max_age=int(current_app.config["FILES_URL_SECONDS"])
        )
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    if not (isinstance(key, str) and isinstance(submission_id, int) and isinstance(attempt, int)):
        return None
    return FileGrant(key, submission_id, attempt)


def url_for_grant(grant: FileGrant) -> str:
    base = str(current_app.config["FILES_URL"]).rstrip("/")
    return f"{base}/internal/files/{sign(grant)}"
