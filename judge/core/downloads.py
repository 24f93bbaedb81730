"""Sending stored files back: always as an attachment, with a content type that cannot run."""

from __future__ import annotations

import mimetypes

from flask import Response, send_file

from judge.core import storage

SAFE_TYPES = {"text/csv", "text/plain", "application/json", "application/zip", "application/pdf",
              "image/png", "image/jpeg", "application/gzip", "application/x-tar"}  # fmt: skip


def send_stored(key: str, filename: str) -> Response:
    guessed, _encoding = mimetypes.guess_type(filename)
    mimetype = guessed if guessed in SAFE_TYPES else "application/octet-stream"
    response = send_file(
        storage.path_of(key), mimetype=mimetype, as_attachment=True, download_name=filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
