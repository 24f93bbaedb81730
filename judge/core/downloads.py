"""Sending files back: always as an attachment, with a content type that cannot run.

Every download (public data, a team's own submission, CSV exports) goes out
as ``text/csv`` or ``application/octet-stream`` with ``nosniff``, so a file
named ``x.html`` full of script is saved, never shown. The file name is
given twice (RFC 6266/5987): a plain ASCII fallback and the exact UTF-8
name, so Korean names arrive intact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import quote

from flask import Response, send_file

from judge.core import storage

CSV = "text/csv"
BINARY = "application/octet-stream"
NO_STORE = "private, no-store"


def safe_type(filename: str) -> str:
    return CSV if filename.lower().endswith(".csv") else BINARY


def ascii_fallback(filename: str) -> str:
    """A plain name for old clients: ASCII letters, digits, dot, dash and underscore only."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("._") or "download"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", PurePosixPath(filename).suffix)
    if suffix and not plain.endswith(suffix):
        plain = ("download" if plain == suffix.lstrip(".") else plain) + suffix
    return plain[:150]


def content_disposition(filename: str) -> str:
    """``attachment; filename="…"``, plus ``filename*=UTF-8''…`` when the name is not ASCII."""
    fallback = ascii_fallback(filename)
    value = f'attachment; filename="{fallback}"'
    if filename != fallback:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = NO_STORE
    return response


def send_stored(key: str, filename: str) -> Response:
    response = send_file(storage.path_of(key), mimetype=safe_type(filename))
    return attachment(response, filename)


def send_stream(pieces: Iterator[str], filename: str, mimetype: str = CSV) -> Response:
    """A generated download (e.g. a leaderboard export), sent piece by piece as ``pieces``
    yields them. ``pieces`` must not need the request or the database: the response is
    sent after both are gone."""
    return attachment(Response(pieces, mimetype=mimetype), filename)
