"""/api/v1 problems: create with the solution, public files, solution, publishing."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from judge.api import schemas
from judge.api.access import managed_problem, visible_problem
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import consent, policy
from judge.competitions import services as competitions
from judge.core import storage, uploads
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_stored
from judge.core.errors import Invalid
from judge.leaderboard import services as leaderboard
from judge.problems import code, local_scoring, programs, replacement, review, rules
from judge.problems import services as problems

PREFIX = ""
CODE = ("inputs", "ingestion_program", "limits", "submission_kind", "takes_results")
blp = Blueprint("api_problems", __name__, description="Problems, their data and solutions")

BINARY = {
    "description": "The file, as an attachment; its content type follows its name "
    "(text/csv, application/zip, …, else application/octet-stream)",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


def _may_create(slug: str) -> None:
    """Refused before the body (the solution) is read: organizers and sponsor members only."""
    competition, user = competitions.get_competition(slug), required_actor()
    allow(policy.is_organizer(user, competition) or bool(policy.sponsor_ids_of(user, competition)))
    uploads.refuse_larger_than(problems.max_solution_bytes(), _("The solution"))


def _may_upload_to(limit: Callable[[], int], what: str, files: int = 1) -> Callable[[int], None]:
    """A check before the body: the problem is managed by the caller; at most ``files``
    files of at most ``limit()`` bytes each."""

    def check(problem_id: int) -> None:
        managed_problem(problem_id)
        uploads.refuse_larger_than(files * limit(), what)

    return check


def dump(problem):
    """Managers get the solution's details too; everyone else the public view."""
    schema = schemas.ManagedProblem if problems.can_manage(actor(), problem) else schemas.Problem
    return jsonify(schema().dump(problem))


@blp.get("/competitions/<slug>/problems")
@blp.response(200, schemas.Problem(many=True))
def list_problems(slug: str):
    """Published problems; drafts too for organizers and their sponsors."""
    return problems.visible_problems(competitions.get_competition(slug), actor())


@blp.post("/competitions/<slug>/problems")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.ProblemCreate, location="multipart")
@blp.response(201, schemas.ManagedProblem)
@token_required
@uploads.checked_first(_may_create)
def create_problem(form: dict, slug: str):
    """Create a draft problem, uploading its hidden solution CSV (organizers, sponsor members)."""
    competition = competitions.get_competition(slug)
    user = required_actor()
    sponsor = competitions.get_sponsor(competition, form.pop("sponsor_id"))
    allow(policy.is_organizer(user, competition) or policy.is_sponsor_member(user, sponsor))
    upload = form.pop("solution")
    with (
        unit_of_work(),
        storage.staged(upload.stream, problems.max_solution_bytes(), "The solution") as staged,
    ):
        problem = problems.create_problem(
            competition, sponsor, solution_upload=staged,
            solution_filename=upload.filename, actor=user, **form,
        )  # fmt: skip
    return problem


@blp.get("/problems/<int:problem_id>")
@blp.response(200, schemas.ManagedProblem)
def get_problem(problem_id: int):
    """One problem; solution details only for those who manage it."""
    return dump(visible_problem(problem_id))


@blp.patch("/problems/<int:problem_id>")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.ProblemSettings)
@blp.response(200, schemas.ManagedProblem)
@token_required
def update_problem(body: dict, problem_id: int):
    """Change a problem's settings: the reveal, the dates, the split and the blend weight are
    the organizers'; what decides scores is the sponsor's too until submissions open."""
    problem = managed_problem(problem_id)
    with unit_of_work():
        leaderboard.change_settings(problem, required_actor(), body, utcnow())
    return problem


@blp.post("/problems/<int:problem_id>/publish")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def publish(problem_id: int):
    """Show the problem to participants."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "published"):
        problems.publish(problem, utcnow())
    return problem


@blp.post("/problems/<int:problem_id>/submit-for-review")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def submit_for_review(problem_id: int):
    """Ask the organizers to publish a sponsor's draft: they publish it or send it back."""
    problem = managed_problem(problem_id)
    with unit_of_work():
        review.submit(problem, required_actor(), utcnow())
    return problem


@blp.post("/problems/<int:problem_id>/send-back")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.SendBackIn)
@blp.response(200, schemas.ManagedProblem)
@token_required
def send_back(body: dict, problem_id: int):
    """Return a sponsor's problem in review with what to change (organizers only); the
    sponsor's members are told."""
    problem = managed_problem(problem_id)
    allow(policy.is_organizer(required_actor(), problem.competition))
    with unit_of_work():
        review.send_back(problem, required_actor(), body["comment"], utcnow())
    return problem


@blp.post("/problems/<int:problem_id>/unpublish")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def unpublish(problem_id: int):
    """Hide the problem from participants again."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "published"):
        problems.unpublish(problem)
    return problem


@blp.get("/problems/<int:problem_id>/files")
@blp.response(200, schemas.ProblemFile(many=True))
def list_files(problem_id: int):
    """The problem's public files."""
    return visible_problem(problem_id).files


@blp.post("/problems/<int:problem_id>/files")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.FileUpload, location="multipart")
@blp.response(201, schemas.ProblemFile)
@token_required
@uploads.checked_first(_may_upload_to(problems.max_public_file_bytes, _l("The file")))
def add_file(form: dict, problem_id: int):
    """Upload a public file: training data, test inputs or a sample submission."""
    problem = managed_problem(problem_id)
    upload = form["file"]
    with (
        unit_of_work(),
        changing(problem, "file"),
        storage.staged(upload.stream, problems.max_public_file_bytes(), "The file") as staged,
    ):
        item = problems.add_public_file(problem, staged, upload.filename, form["description"])
    return item


@blp.get("/problems/<int:problem_id>/files/<int:file_id>")
@blp.doc(security=SECURITY, responses={"200": BINARY})
def download_file(problem_id: int, file_id: int):
    """Download a public file (after accepting the competition's rules)."""
    problem = visible_problem(problem_id)
    consent.check_current(required_actor(), problem.competition)
    allow(problems.can_download_public_files(required_actor(), problem))
    item = problems.get_public_file(problem, file_id)
    return send_stored(item.storage_key, item.filename)


@blp.delete("/problems/<int:problem_id>/files/<int:file_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def remove_file(problem_id: int, file_id: int):
    """Remove a public file."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "file"):
        problems.remove_public_file(problem, file_id)


@blp.get("/problems/<int:problem_id>/solution")
@blp.doc(security=SECURITY, responses={"200": BINARY})
@token_required
def download_solution(problem_id: int):
    """Download the hidden solution (the competition's organizers and the problem's sponsor)."""
    problem = visible_problem(problem_id)
    allow(problems.can_download_solution(required_actor(), problem))
    return send_stored(problem.solution.storage_key, problem.solution.filename)


@blp.get("/problems/<int:problem_id>/scoring-setup")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ScoringSetup)
@token_required
def scoring_setup(problem_id: int):
    """The metric, columns and split with its secret salt, to score files locally as the
    platform does (organizers and the problem's sponsor, unless they are on a team; audited)."""
    problem = visible_problem(problem_id)
    with unit_of_work():
        return local_scoring.scoring_setup(problem, required_actor())


@blp.put("/problems/<int:problem_id>/solution")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.SolutionUpload, location="multipart")
@blp.response(200, schemas.SolutionInfo)
@token_required
@uploads.checked_first(_may_upload_to(problems.max_solution_bytes, _l("The solution")))
def replace_solution(files: dict, problem_id: int):
    """Replace the hidden solution; it is checked against the problem's settings first.
    With ``rescore``, the problem's scored and failed submissions are queued again; teams
    whose public score changes are notified once the new scores are in."""
    problem = managed_problem(problem_id)
    upload = files["solution"]
    with (
        unit_of_work(),
        changing(problem, "solution"),
        storage.staged(upload.stream, problems.max_solution_bytes(), "The solution") as staged,
    ):
        pending = replacement.stage(problem, staged, upload.filename)
        replacement.confirm(problem, pending, files["rescore"], required_actor(), utcnow())
    return problem.solution


@blp.put("/problems/<int:problem_id>/scoring-program")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.ProgramUpload, location="multipart")
@blp.response(200, schemas.ManagedProblem)
@token_required
@uploads.checked_first(_may_upload_to(problems.max_solution_bytes, _l("The program")))
def attach_program(form: dict, problem_id: int):
    """Score with a sponsor's program instead of a built-in metric, with its columns."""
    problem = managed_problem(problem_id)
    upload = form["program"]
    with (
        unit_of_work(),
        changing(problem, "program"),
        storage.staged(upload.stream, problems.max_solution_bytes(), "The program") as staged,
    ):
        programs.attach_program(problem, staged, upload.filename, _json(form["columns"]))
    return problem


@blp.delete("/problems/<int:problem_id>/scoring-program")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def detach_program(problem_id: int):
    """Score with the problem's built-in metric again."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "program"):
        programs.detach_program(problem)
    return problem


@blp.put("/problems/<int:problem_id>/code")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.CodeSettings, location="multipart")
@blp.response(200, schemas.ManagedProblem)
@token_required
@uploads.checked_first(_may_upload_to(problems.max_solution_bytes, _l("The upload"), files=2))
def take_code(form: dict, problem_id: int):
    """Take code submissions that run on the hidden test inputs, within these limits; and,
    optionally, public validation inputs for teams' validation runs."""
    problem = managed_problem(problem_id)
    limits = _json(form["limits"], "limits") if form.get("limits") else None
    upload, ingestion = form.get("inputs"), form.get("ingestion_program")
    validation = form.get("validation_inputs")
    maximum = problems.max_solution_bytes()
    with unit_of_work(), changing(problem, *CODE):
        if upload is None:
            code.take_code(problem, None, "", limits)
        else:
            with storage.staged(upload.stream, maximum, _("The test inputs")) as staged:
                code.take_code(problem, staged, upload.filename, limits)
        if ingestion is not None:
            with storage.staged(ingestion.stream, maximum, _("The program")) as staged:
                code.set_ingestion_program(problem, staged, ingestion.filename)
        if form.get("takes_results") is not None:
            code.set_takes_results(problem, form["takes_results"])
        runs, user = form.get("validation_daily_limit"), required_actor()
        if validation is None:
            code.set_validation_inputs(problem, None, "", runs, user)
        else:
            with storage.staged(validation.stream, maximum, _("The validation inputs")) as st:
                code.set_validation_inputs(problem, st, validation.filename, runs, user)
    return problem


@blp.delete("/problems/<int:problem_id>/code/ingestion-program")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def remove_ingestion_program(problem_id: int):
    """Teams' code runs by its own metadata.yaml command again."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "ingestion_program"):
        code.set_ingestion_program(problem, None)
    return problem


@blp.delete("/problems/<int:problem_id>/code")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def take_predictions(problem_id: int):
    """Take prediction files again."""
    problem = managed_problem(problem_id)
    with unit_of_work(), changing(problem, "submission_kind"):
        code.take_predictions(problem)
    return problem


def changing(problem, *names: str):
    """Refuse what the caller may not change now (before reading an upload); audit it after."""
    return rules.changing(required_actor(), problem, names, utcnow())


def _json(text: str, field: str = "columns") -> object:
    try:
        return json.loads(text)
    except ValueError:
        raise Invalid(_("%(field)s is not valid JSON.", field=field), field=field) from None
