"""/api/v1 validation runs: a team's code on the problem's public validation inputs."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from judge.api import schemas
from judge.api.access import visible_problem
from judge.api.auth import SECURITY, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.core import storage, uploads
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import NotFound
from judge.submissions import quota
from judge.submissions import services as submissions

PREFIX = ""
blp = Blueprint("api_validation_runs", __name__, description="Validation runs of code")


def _may_run(problem_id: int) -> None:
    """A validation run's refusals that need no body: token, size, problem, window, team,
    and the day's remaining validation runs."""
    user = required_actor()
    uploads.refuse_larger_than(submissions.max_bytes(), _("The file"))
    submissions.check_can_submit(visible_problem(problem_id), user, utcnow(), validation=True)


@blp.post("/problems/<int:problem_id>/validation-runs")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.ValidationUpload, location="multipart")
@blp.response(202, schemas.ValidationAccepted)
@token_required
@uploads.checked_first(_may_run)
def submit(form: dict, problem_id: int):
    """Run your code zip on the problem's public validation inputs, exactly as a submission
    runs on the hidden ones, and see everything it printed and wrote. Never scored; counted
    against its own daily limit."""
    problem = visible_problem(problem_id)
    user, upload, now = required_actor(), form["file"], utcnow()
    with (
        unit_of_work(),
        storage.staged(upload.stream, submissions.max_bytes(), "The file") as staged,
    ):
        run = submissions.submit(problem, user, staged, upload.filename, "", now, validation=True)
    return {"id": run.id, "status": run.status.value,
            "status_url": url_for("api_validation_runs.get_run", submission_id=run.id),
            "validation_left": quota.status(problem, run.team, now).validation_left}  # fmt: skip


@blp.get("/problems/<int:problem_id>/validation-runs")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ValidationRunOut(many=True))
@token_required
def my_runs(problem_id: int):
    """Your team's validation runs on a problem, newest first."""
    problem = visible_problem(problem_id)
    team = submissions.team_for_submission(problem, required_actor())
    return submissions.team_submissions(problem, team, validation=True)


@blp.get("/validation-runs/<int:submission_id>")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ValidationRunOut)
@token_required
def get_run(submission_id: int):
    """One validation run of your team: its status, message and whole output."""
    run = submissions.get_submission(submission_id)
    submissions.check_viewable(required_actor(), run)
    if not run.validation:
        raise NotFound(_("No such validation run."))
    return run
