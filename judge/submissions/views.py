"""Submission pages: the upload form and the team's own list on the problem page.

The problem page includes ``submissions/_panel.html``, which asks
``submission_panel(problem)`` what the viewer may see and do. Uploads post
here: a script upload (XMLHttpRequest) gets JSON and a status URL to poll, a
plain form post gets a redirect back with a message. Private scores appear
only for those who may see the private board (``leaderboard.can_see_private``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import Blueprint, flash, get_template_attribute, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import HTTPException
from wtforms import StringField
from wtforms.validators import Length

from judge.accounts.forms import EmptyForm
from judge.accounts.models import User
from judge.charts import series
from judge.client.scores import score_text
from judge.competitions import services as competitions
from judge.core import errors_http, storage, uploads
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_stored
from judge.core.errors import DomainError, Invalid, NotFound, Unauthorized
from judge.core.extensions import db
from judge.core.i18n import stored_message
from judge.core.web import actor, button_action, form_action
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.problems.modes import MetricMode
from judge.submissions import carrying, details, quota, turns
from judge.submissions import services as submissions
from judge.submissions.models import FINISHED, Status, Submission
from judge.submissions.quota import QuotaStatus
from judge.teams import services as teams
from judge.teams.models import Team

bp = Blueprint("submissions", __name__, url_prefix="/c/<slug>/p/<problem_slug>")
# A built-in metric's details of a score (AP per class); pages show the private split's only
# where they show the private score.
bp.add_app_template_global(details.label, "details_label")
bp.add_app_template_global(details.public, "public_details")
bp.add_app_template_global(details.private, "private_details")

ACCEPTED_TYPES = ",".join(sorted(MetricMode.extensions))


class SubmissionForm(FlaskForm):
    file = FileField(
        _l("Predictions file"), validators=[FileRequired(_l("Choose a file to upload."))]
    )
    description = StringField(_l("Description (optional)"), validators=[Length(max=500)])


class ValidationForm(FlaskForm):
    file = FileField(
        _l("Your code (a .zip)"), validators=[FileRequired(_l("Choose a file to upload."))]
    )


@dataclass
class Panel:
    """What the problem page shows a viewer about submitting."""

    problem: Problem
    state: str  # "anonymous", "no_team", "open" or "closed"
    message: str = ""
    team: Team | None = None
    form: SubmissionForm | None = None
    quota: QuotaStatus | None = None
    rows: tuple[Submission, ...] = ()
    show_private: bool = False
    can_select: bool = False
    selected: int = 0
    max_bytes: int = 0
    accepted_types: str = ACCEPTED_TYPES
    validation_rows: tuple[Submission, ...] = ()  # the team's validation runs (code problems)
    validation_form: ValidationForm | None = None
    places: dict[int, turns.Place] = field(default_factory=dict)  # queued rows' places

    @property
    def tz(self) -> str:
        return self.problem.competition.timezone

    @property
    def history(self) -> dict:
        """The team's public scores over time, for its chart (never the private ones)."""
        scored = [(s.created_at, s.public_score) for s in self.rows]
        return series.score_history(scored, self.tz).as_dict()


def _wants_json() -> bool:
    return (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.accept_mimetypes.best == "application/json"
        or request.endpoint == "submissions.status"
    )


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    if not _wants_json():
        return errors_http.handle_domain_error(exc)
    db.session.rollback()
    return jsonify(exc.to_json()), exc.status


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError):
    if not _wants_json():
        return errors_http.handle_csrf(exc)
    message = _("The form expired or was sent from elsewhere. Reload the page and try again.")
    return jsonify(errors_http.error_body(400, "csrf", message)), 400


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if not (_wants_json() and exc.code and exc.code >= 400):
        return errors_http.handle_http_exception(exc)
    body = errors_http.error_body(
        exc.code, errors_http.http_code(exc), errors_http.http_message(exc)
    )
    return jsonify(body), exc.code


# --- the panel on the problem page ------------------------------------------------------


@bp.app_template_global("submission_panel")
def submission_panel(problem: Problem) -> Panel | None:
    """The upload form, the team's limits and its submissions, as far as the viewer may see."""
    if not problem.is_published:
        return None
    user = actor()
    if user is None:
        return Panel(problem, "anonymous")
    team = teams.team_of(user, problem.competition)
    if team is None:
        if submissions.is_staff_viewer(user, problem):
            return None  # organizers, sponsors and judges do not submit
        return Panel(problem, "no_team", _("Join or create a team to submit predictions."))
    return _team_panel(problem, user, team, utcnow())


def _team_panel(
    problem: Problem, user: User, team: Team, now: datetime, with_rows: bool = True
) -> Panel:
    """The panel of a team member; without rows for the JSON answers (one row each)."""
    state, message, limited = "open", "", True
    try:
        submissions.check_open(problem, now)
        carrying.check_takes_uploads(problem, team)
    except DomainError as exc:
        state, message = "closed", exc.message
        # A phase the team may not upload to at all shows no limits it cannot use.
        limited = carrying.may_upload(problem, team)
    rows = tuple(submissions.team_submissions(problem, team)) if with_rows else ()
    trials = problem.takes_validation_runs and with_rows
    return Panel(
        problem,
        state,
        message,
        team=team,
        form=SubmissionForm(formdata=None) if state == "open" and with_rows else None,
        quota=quota.status(problem, team, now, user) if limited else None,
        rows=rows,
        show_private=leaderboard.can_see_private(user, problem, now),
        can_select=not leaderboard.submissions_closed(problem, now),
        selected=sum(1 for s in rows if s.selected),
        max_bytes=submissions.max_bytes(),
        accepted_types=",".join(sorted(submissions.accepted_types(problem))),
        validation_rows=tuple(submissions.team_submissions(problem, team, validation=True))
        if trials
        else (),
        validation_form=ValidationForm(formdata=None) if trials and state == "open" else None,
        places=turns.places_now(list(rows), now),
    )


def _row_panel(problem: Problem, user: User, submission: Submission) -> Panel:
    """The panel for one row's JSON answer: no other rows, but this one's place in the queue."""
    now = utcnow()
    panel = _team_panel(problem, user, submission.team, now, with_rows=False)
    panel.places = turns.places_now([submission], now)
    return panel


def _fragment(macro: str, *args) -> str:
    return str(get_template_attribute("submissions/_macros.html", macro)(*args))


# --- uploading --------------------------------------------------------------------------


def _problem(slug: str, problem_slug: str) -> Problem:
    problem = problems.get_problem_by_slug(competitions.get_competition(slug), problem_slug)
    problems.check_visible(actor(), problem)
    return problem


def _back(problem: Problem):
    return redirect(
        url_for(
            "problems.show",
            slug=problem.competition.slug,
            problem_slug=problem.slug,
            _anchor="my-submissions",
        )
    )


def _refused(problem: Problem, exc: DomainError):
    if _wants_json():
        return jsonify(exc.to_json()), exc.status
    flash(exc.message, "error")
    return _back(problem)


def _form_error(form: FlaskForm) -> Invalid:
    for name, errors in form.errors.items():
        if errors and name != "csrf_token":
            return Invalid(str(errors[0]), field=name)
    return Invalid(_("The form expired. Reload the page and try again."))


def _store(problem: Problem, user: User, form: SubmissionForm | ValidationForm,
           validation: bool = False) -> Submission:  # fmt: skip
    upload = form.file.data
    description = "" if validation else form.description.data or ""
    with (
        unit_of_work(),
        storage.staged(upload.stream, submissions.max_bytes(), _("The file")) as staged,
    ):
        return submissions.submit(problem, user, staged, upload.filename, description, utcnow(),
                                  validation=validation)  # fmt: skip


def _may_upload(slug: str, problem_slug: str, validation: bool = False):
    """An upload's refusals that need no body (before CSRF reads it): login, size, problem,
    window, team, quota."""
    problem = _problem(slug, problem_slug)
    user = actor()
    if user is None:
        return _refused(problem, Unauthorized(_("Please log in to submit predictions.")))
    try:
        uploads.refuse_larger_than(submissions.max_bytes(), _("The file"))
        submissions.check_can_submit(problem, user, utcnow(), validation)
    except DomainError as exc:
        return _refused(problem, exc)
    return None


@bp.post("/submissions")
@uploads.checked_first(_may_upload)
def create(slug: str, problem_slug: str):
    """Take an upload. The status code of a refusal (422, 429, 403, 413) is kept for scripts."""
    problem = _problem(slug, problem_slug)
    user = actor()  # logged in: _may_upload refused anonymous uploads
    form = SubmissionForm()
    if not form.validate_on_submit():
        return _refused(problem, _form_error(form))
    try:
        submission = _store(problem, user, form)  # commits, then the worker is told
    except DomainError as exc:
        return _refused(problem, exc)
    if not _wants_json():
        flash(_("Your file is uploaded and waits to be scored."), "success")
        return _back(problem)
    body = _status_body(submission, _row_panel(problem, user, submission)) | {
        "message": _("Uploaded. Your submission waits to be scored.")
    }
    return jsonify(body), 202


@bp.post("/validation-runs")
@uploads.checked_first(functools.partial(_may_upload, validation=True))
def create_validation_run(slug: str, problem_slug: str):
    """Take a code zip for a validation run on the public validation inputs."""
    problem = _problem(slug, problem_slug)
    user = actor()  # logged in: _may_upload refused anonymous uploads
    form = ValidationForm()
    if not form.validate_on_submit():
        return _refused(problem, _form_error(form))
    try:
        _store(problem, user, form, validation=True)  # commits, then the worker is told
    except DomainError as exc:
        return _refused(problem, exc)
    flash(_("Your code is uploaded; its validation run waits for a worker."), "success")
    return redirect(url_for("problems.show", slug=slug, problem_slug=problem_slug,
                            _anchor="validation-runs"))  # fmt: skip


# --- live status ------------------------------------------------------------------------


def _own(problem: Problem, submission_id: int) -> Submission:
    """A submission of the viewer's own team on this problem; anything else is not found."""
    submission = db.session.get(Submission, submission_id)
    if (
        submission is None
        or submission.problem_id != problem.id
        or not teams.is_member(actor(), submission.team)
    ):
        raise NotFound(_("No such submission."))
    return submission


def _status_url(submission: Submission) -> str:
    problem = submission.problem
    return url_for(
        "submissions.status",
        slug=problem.competition.slug,
        problem_slug=problem.slug,
        submission_id=submission.id,
    )


def _status_body(submission: Submission, panel: Panel) -> dict:
    """The row as the team sees it; private scores only inside ``row_html`` and only if allowed."""
    return {
        "id": submission.id,
        "status": submission.status.value,
        "finished": submission.status in FINISHED,
        "public_score": score_text(submission.public_score, submission.problem.score_decimals),
        "error_message": (
            stored_message(submission.error_message) if submission.status == Status.FAILED else None
        ),
        "status_url": _status_url(submission),
        "row_html": _fragment("submission_row", submission, panel),
        "quota_html": _fragment("quota_facts", panel),
    }


@bp.get("/submissions/<int:submission_id>/status")
def status(slug: str, problem_slug: str, submission_id: int):
    """One submission of the logged-in team, for the page to poll while it is scored."""
    problem = _problem(slug, problem_slug)
    user = actor()
    if user is None:
        raise Unauthorized(_("Please log in."))
    submission = _own(problem, submission_id)
    return jsonify(_status_body(submission, _row_panel(problem, user, submission)))


@bp.get("/submissions/<int:submission_id>/file")
@login_required
def download(slug: str, problem_slug: str, submission_id: int):
    """The file one's own team uploaded, as an attachment that cannot run in the browser."""
    submission = _own(_problem(slug, problem_slug), submission_id)
    return send_stored(submission.storage_key, submission.filename)


# --- final selection and cancelling -----------------------------------------------------


@bp.post("/submissions/<int:submission_id>/final")
@login_required
def final(slug: str, problem_slug: str, submission_id: int):
    problem = _problem(slug, problem_slug)
    submission = _own(problem, submission_id)
    selected = request.form.get("selected") == "1"
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            submissions.set_selected(submission, actor(), selected, utcnow())
        if ok():
            done = (
                _("The submission is selected as final.")
                if selected
                else _("The submission is no longer selected as final.")
            )
            flash(done, "success")
    return _back(problem)


@bp.post("/submissions/<int:submission_id>/cancel")
@login_required
def cancel(slug: str, problem_slug: str, submission_id: int):
    problem = _problem(slug, problem_slug)
    submission = _own(problem, submission_id)
    button_action(lambda: submissions.cancel(submission, actor(), utcnow()),
                  _("The submission is cancelled."))  # fmt: skip
    return _back(problem)
