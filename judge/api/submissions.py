"""/api/v1 submissions: upload, status, my list, final selection, cancel, quota."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from judge.api import schemas
from judge.api.access import visible_problem
from judge.api.auth import SECURITY, actor, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.api.problems import BINARY
from judge.core import storage, uploads
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_stored
from judge.core.i18n import stored_message
from judge.leaderboard import services as leaderboard
from judge.submissions import fanout, quota, turns
from judge.submissions import services as submissions
from judge.submissions.models import Status

PREFIX = ""
blp = Blueprint("api_submissions", __name__, description="Submissions and limits")


def own_submission(submission_id: int):
    submission = submissions.get_submission(submission_id)
    submissions.check_viewable(required_actor(), submission)
    return submission


def dump(items, many: bool = False):
    """Private scores only for those who may see the private board now; a queued one's place;
    an upload to a phase as a whole, with a score per task."""
    first = items[0] if many and items else items
    private = bool(first) and leaderboard.can_see_private(actor(), first.problem, utcnow())
    schema = schemas.SubmissionWithPrivate if private else schemas.SubmissionOut
    listed = items if many else [items]
    places = turns.places_now(listed, utcnow())
    answers = [_with_tasks(_with_place(schema().dump(s), places.get(s.id)), s) for s in listed]
    return jsonify(answers if many else answers[0])


#: An upload's own scores, absent unless every task of it scored.
UPLOAD_SCORES = ("public_score", "public_score_display", "public_details", "private_score",
                 "private_score_display", "private_details")  # fmt: skip


def _with_tasks(answer: dict, submission) -> dict:
    """An upload to a phase: its status over the tasks, its scores only if every task scored,
    and each task's score (a private one only where that task's private board may be seen)."""
    members = fanout.family(submission) if submission.parent_id is None else [submission]
    answer["tasks"] = None
    if len(members) == 1:
        return answer
    status = fanout.upload_status(submission, members)
    answer["status"] = status.value
    if status != Status.SCORED:
        answer.update({name: None for name in UPLOAD_SCORES if name in answer})
    failed = next((m for m in members if m.status == Status.FAILED), None)
    if failed is not None and status == Status.FAILED:
        answer["error_message"] = stored_message(failed.error_message)
        answer["failure_kind"] = failed.failure_kind.value if failed.failure_kind else None
    answer["tasks"] = [_task(member) for member in members]
    return answer


def _task(member) -> dict:
    private = leaderboard.can_see_private(actor(), member.problem, utcnow())
    schema = schemas.TaskScoreWithPrivate if private else schemas.TaskScoreOut
    return schema().dump(member)


def _with_place(answer: dict, place: turns.Place | None) -> dict:
    answer["queue_position"] = place.position if place else None
    answer["estimated_wait_seconds"] = place.estimated_wait_seconds if place else None
    return answer


def _may_upload(problem_id: int) -> None:
    """An upload's refusals that need no body: token, size, problem, window, team, quota."""
    user = required_actor()
    uploads.refuse_larger_than(submissions.max_bytes(), _("The file"))
    submissions.check_can_submit(visible_problem(problem_id), user, utcnow())


@blp.post("/problems/<int:problem_id>/submissions")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.SubmissionUpload, location="multipart")
@blp.response(202, schemas.Accepted)
@token_required
@uploads.checked_first(_may_upload)
def submit(form: dict, problem_id: int):
    """Upload predictions. Answers at once with 202; poll the status URL for the score.

    For a problem with phases, upload to the first task of the phase (a phase's other
    tasks and a scoring-only phase refuse uploads): the upload is scored on every task of
    the phase, counted once; its status answer lists a score per task."""
    problem = visible_problem(problem_id)
    user, upload, now = required_actor(), form["file"], utcnow()
    with (
        unit_of_work(),
        storage.staged(upload.stream, submissions.max_bytes(), "The file") as staged,
    ):
        submission = submissions.submit(problem, user, staged, upload.filename,
                                        form["description"], now)  # fmt: skip
        # answered from this transaction: after the commit every row would be read again
        answer = {"id": submission.id, "status": submission.status.value,
                  "status_url": schemas.status_url(submission.id),
                  "quota": quota.status(problem, submission.team, now, user)}  # fmt: skip
    return answer


@blp.get("/submissions/<int:submission_id>")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionWithPrivate)
@token_required
def get_submission(submission_id: int):
    """One submission of your team: status, public score, error message."""
    return dump(own_submission(submission_id))


@blp.get("/problems/<int:problem_id>/submissions")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionWithPrivate(many=True))
@token_required
def my_submissions(problem_id: int):
    """Your team's submissions to a problem, newest first."""
    problem = visible_problem(problem_id)
    team = submissions.team_for_submission(problem, required_actor())
    return dump(submissions.team_submissions(problem, team), many=True)


@blp.get("/problems/<int:problem_id>/quota")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.QuotaOut)
@token_required
def my_quota(problem_id: int):
    """What you have left today and in total (your team's allowance, and your own across
    every team you were in), and when the daily count resets."""
    problem = visible_problem(problem_id)
    user = required_actor()
    team = submissions.team_for_submission(problem, user)
    return quota.status(problem, team, utcnow(), user)


@blp.get("/submissions/<int:submission_id>/file")
@blp.doc(security=SECURITY, responses={"200": BINARY})
@token_required
def download_file(submission_id: int):
    """Download the file of one of your team's submissions."""
    submission = own_submission(submission_id)
    return send_stored(submission.storage_key, submission.filename)


def _select(submission_id: int, selected: bool):
    submission = own_submission(submission_id)
    with unit_of_work():
        submissions.set_selected(submission, required_actor(), selected, utcnow())
    return dump(submission)


@blp.post("/submissions/<int:submission_id>/final")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionWithPrivate)
@token_required
def select_final(submission_id: int):
    """Select a scored submission as one of your team's finals (for the private board)."""
    return _select(submission_id, True)


@blp.delete("/submissions/<int:submission_id>/final")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionWithPrivate)
@token_required
def unselect_final(submission_id: int):
    """Drop a submission from your team's finals."""
    return _select(submission_id, False)


@blp.post("/submissions/<int:submission_id>/cancel")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionWithPrivate)
@token_required
def cancel(submission_id: int):
    """Cancel a submission that is still queued."""
    submission = own_submission(submission_id)
    with unit_of_work():
        submissions.cancel(submission, required_actor(), utcnow())
    return dump(submission)
