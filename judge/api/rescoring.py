"""/api/v1 organizers' tools: every team's submissions, re-scoring, a job's log."""

from __future__ import annotations

from judge.api import schemas
from judge.api.access import visible_problem
from judge.api.auth import SECURITY, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.core.db import unit_of_work, utcnow
from judge.submissions import rescoring
from judge.submissions import services as submissions

PREFIX = ""
blp = Blueprint("api_rescoring", __name__, description="Organizers' tools for submissions")


def _managed_submission(submission_id: int):
    submission = submissions.get_submission(submission_id)
    submissions.check_viewable(required_actor(), submission)
    rescoring.require_manager(required_actor(), submission.problem)
    return submission


@blp.get("/problems/<int:problem_id>/all-submissions")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedSubmission(many=True))
@token_required
def all_submissions(problem_id: int):
    """Every team's submissions to a problem, newest first (organizers, the sponsor)."""
    return rescoring.problem_submissions(visible_problem(problem_id), required_actor())


@blp.get("/submissions/<int:submission_id>/log")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SubmissionLog)
@token_required
def submission_log(submission_id: int):
    """The scoring log and the scores that re-scoring replaced (organizers, the sponsor)."""
    submission = _managed_submission(submission_id)
    return {"id": submission.id, "log": submission.log,
            "history": rescoring.history(submission)}  # fmt: skip


@blp.post("/submissions/<int:submission_id>/rescore")
@blp.doc(security=SECURITY)
@blp.response(202, schemas.Requeued)
@token_required
def rescore_submission(submission_id: int):
    """Score a finished submission again; its earlier scores go to its history."""
    submission = _managed_submission(submission_id)
    with unit_of_work():
        queued = [rescoring.rescore_submission(submission, required_actor(), utcnow())]
    return {"queued": queued}


@blp.post("/problems/<int:problem_id>/rescore")
@blp.doc(security=SECURITY)
@blp.response(202, schemas.Requeued)
@token_required
def rescore_problem(problem_id: int):
    """Score every finished submission of a problem again (after fixing its scorer)."""
    problem = visible_problem(problem_id)
    with unit_of_work():
        queued = rescoring.rescore_problem(problem, required_actor(), utcnow())
    return {"queued": queued}
