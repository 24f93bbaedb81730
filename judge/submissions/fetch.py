"""A worker's way to its input files: the shared storage, or the app over HTTP.

With ``FILES_URL`` unset (the default) the worker reads the storage it shares with the
web servers. With ``FILES_URL`` set, a file missing from the worker's own storage is
downloaded from the app with a signed token (see ``file_tokens``), its SHA-256 checked
against its storage key, and kept in the worker's storage for the next job.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import requests
from flask import current_app

from judge.core import storage
from judge.submissions.file_tokens import FileGrant, url_for_grant

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TIMEOUT = (10, 120)  # connect, and between two reads


class FetchFailed(Exception):
    """The file could not be fetched or did not match its hash; the job goes back to the queue."""


def local_file(key: str, submission_id: int, attempt: int) -> Path:
    """The path of a stored file on this worker, downloading it first if need be."""
    path = storage.path_of(key)
    if path.is_file() or not current_app.config.get("FILES_URL"):
        return path
    download(FileGrant(key, submission_id, attempt), path)
    return path


def download(grant: FileGrant, target: Path) -> None:
    """Fetch one file into ``target``, atomically, only if its content matches its key."""
    tmp_dir = storage.root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".fetch")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _stream(grant, out)
        if digest != grant.key:
            raise FetchFailed(f"file {grant.key} arrived with hash {digest}")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
    except OSError as exc:
        raise FetchFailed(f"cannot store file {grant.key}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    log.info("submission %s: fetched file %s", grant.submission_id, grant.key[:12])


def _stream(grant: FileGrant, out) -> str:
    limit = int(current_app.config["MAX_CONTENT_LENGTH"])
    digest, size = hashlib.sha256(), 0
    try:
        with requests.get(url_for_grant(grant), stream=True, timeout=TIMEOUT) as answer:
            if answer.status_code != 200:
                raise FetchFailed(f"file {grant.key}: the app answered {answer.status_code}")
            for chunk in answer.iter_content(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FetchFailed(f"file {grant.key} is larger than {limit} bytes")
                digest.update(chunk)
                out.write(chunk)
    except requests.RequestException as exc:  # its text would carry the signed URL: leave it out
        where = current_app.config["FILES_URL"]
        raise FetchFailed(f"file {grant.key}: {type(exc).__name__} from {where}") from None
    return digest.hexdigest()
