"""The app's side of workers on other hosts: one file of a running job, for a signed token.

Every refusal (no key configured, bad or expired signature, a job that is over, a file
that is not the job's, a file that is missing) is the same 404, so the endpoint never
tells anyone whether a file exists.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, send_file
from flask_babel import gettext as _

from judge.core import errors_http, storage
from judge.core.extensions import db
from judge.submissions.file_tokens import FileGrant, verify
from judge.submissions.models import Status, Submission

log = logging.getLogger(__name__)

bp = Blueprint("worker_files", __name__, url_prefix="/internal/files")


def job_files(submission: Submission) -> set[str]:
    """The storage keys a worker needs for this submission: the upload and the solution
    (prepared for the built-in scorer; as uploaded, with the program, for a sponsor's),
    plus the hidden test inputs and any ingestion program where teams submit code. A
    validation run gets its upload, the validation inputs and any ingestion program only."""
    problem = submission.problem
    if submission.validation:  # the public validation inputs: nothing hidden
        return {k for k in (submission.storage_key, problem.validation_inputs_key,
                            problem.ingestion_program_key) if k}  # fmt: skip
    return {submission.storage_key} | problem.mode.job_keys()


def granted(grant: FileGrant) -> bool:
    """The token's attempt still holds the job, and the file belongs to it."""
    submission = db.session.get(Submission, grant.submission_id)
    return (
        submission is not None
        and submission.status == Status.RUNNING
        and submission.attempts == grant.attempt
        and grant.key in job_files(submission)
    )


def _refused():
    body = errors_http.error_body(404, "not_found", _("Nothing was found at this address."))
    return jsonify(body), 404


@bp.get("/<token>")
def fetch(token: str):
    grant = verify(token)
    if grant is None or not granted(grant):
        log.warning("refused a worker file request (bad, expired or stale token)")
        return _refused()
    path = storage.path_of(grant.key)
    if not path.is_file():
        log.error("submission %s: stored file %s is missing", grant.submission_id, grant.key)
        return _refused()
    response = send_file(path, mimetype="application/octet-stream", conditional=False)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
