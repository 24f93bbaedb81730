"""Problem pages: description, public files, solution upload for organizers and sponsors.

A draft is answered with 404 to anyone who may not manage it; a published
problem whose management or solution someone may not touch answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup

from judge.competitions import policy
from judge.competitions import services as competitions
from judge.competitions.forms import sponsor_choices
from judge.competitions.models import Competition, Sponsor
from judge.core import storage, uploads
from judge.core.db import utcnow
from judge.core.downloads import send_stored
from judge.core.web import actor, button_action, form_action
from judge.leaderboard import services as leaderboard
from judge.notices import policy as notice_policy
from judge.notices import services as notices
from judge.problems import baseline, code, programs, replacement, rules, services, solution_views
from judge.problems.forms import (
    BaselineForm,
    CodeForm,
    NewProblemForm,
    ProblemSettingsForm,
    ProgramForm,
    PublicFileForm,
    SolutionForm,
)
from judge.problems.models import Carry, Problem
from judge.problems.modes import can_take_both
from judge.scoring import metrics
from judge.scoring.programs import columns
from judge.scoring.setup import runtimes
from judge.submissions import baseline as baseline_runs

bp = Blueprint("problems", __name__, url_prefix="/c/<slug>")


def _visible(slug: str, problem_slug: str) -> Problem:
    competition = competitions.get_competition(slug)
    problem = services.get_problem_by_slug(competition, problem_slug)
    services.check_visible(actor(), problem)
    return problem


def _managed(slug: str, problem_slug: str) -> Problem:
    problem = _visible(slug, problem_slug)
    if not services.can_manage(actor(), problem):
        abort(403)
    return problem


def _may_upload_to(limit: Callable[[], int], what: str) -> Callable[..., Any]:
    """A check before the body is read: logged in, managing the problem, not too large."""

    def check(slug: str, problem_slug: str) -> Any:
        if (login := uploads.unless_logged_in()) is not None:
            return login
        _managed(slug, problem_slug)
        uploads.refuse_larger_than(limit(), what)
        return None

    return check


def _may_create(slug: str) -> Any:
    """Before the body (the solution) is read: an organizer or a sponsor member."""
    if (login := uploads.unless_logged_in()) is not None:
        return login
    if not _sponsors_for(competitions.get_competition(slug)):
        abort(403)
    uploads.refuse_larger_than(services.max_solution_bytes(), _("The solution"))
    return None


def _sponsors_for(competition: Competition) -> list[Sponsor]:
    """Organizers pick any sponsor; sponsor members only their own."""
    user = actor()
    if policy.is_organizer(user, competition):
        return list(competition.sponsors)
    own = policy.sponsor_ids_of(user, competition)
    return [s for s in competition.sponsors if s.id in own]


@bp.route("/problems/new", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_create)
def create(slug: str):
    competition = competitions.get_competition(slug)
    sponsors = _sponsors_for(competition)
    if not sponsors:
        abort(403)
    form = NewProblemForm()
    form.sponsor_id.choices = sponsor_choices(sponsors)
    if form.validate_on_submit():
        problem = _create(competition, form)
        if problem is not None:
            flash(_created_message(competition))
            return redirect(url_for(".manage", slug=slug, problem_slug=problem.slug))
    return render_template("problems/new.html", competition=competition, form=form)


def _created_message(competition: Competition) -> str:
    """Organizers publish; a sponsor's member submits the problem for review."""
    if policy.is_organizer(actor(), competition):
        return _("The problem is created as a draft. Add its data files, then publish it.")
    return _("The problem is created as a draft. Add its data files, then submit it for "
             "review: an organizer publishes it.")  # fmt: skip


def _create(competition: Competition, form: NewProblemForm) -> Problem | None:
    upload = form.solution.data
    with (
        form_action(form) as ok,
        storage.staged(upload.stream, services.max_solution_bytes(), _("The solution")) as staged,
    ):
        problem = services.create_problem(
            competition,
            competitions.get_sponsor(competition, form.sponsor_id.data),
            slug=form.slug.data,
            solution_upload=staged,
            solution_filename=upload.filename,
            actor=actor(),
            **form.settings(competition.timezone),
        )
    return problem if ok() else None


@bp.get("/p/<problem_slug>")
def show(slug: str, problem_slug: str):
    problem = _visible(slug, problem_slug)
    user = actor()
    return render_template(
        "problems/show.html",
        problem=problem,
        competition=problem.competition,
        metric=metrics.get(problem.metric),
        sample=_sample(problem),
        can_download=services.can_download_public_files(user, problem),
        can_manage=services.can_manage(user, problem),
        can_download_solution=services.can_download_solution(user, problem),
        notices=notices.visible_notices(problem.competition, user, problem),
        notice_editable=lambda notice: notice_policy.can_edit(user, notice),
    )


def _settings_form(problem: Problem, **kwargs: Any) -> ProblemSettingsForm:
    """The settings form; what the user may not change now is read-only, with why."""
    form = ProblemSettingsForm.of(problem, list(runtimes()), **kwargs)
    form.lock(rules.refusals(actor(), problem, services.SETTINGS, utcnow()))
    return form


def _sample(problem: Problem) -> str | None:
    """A sample submission in the built-in metric's format (none for a scoring program)."""
    metric = metrics.get(problem.metric)
    if metric is None or problem.mode.scored_by_program or not problem.prediction_columns:
        return None
    return metrics.sample_file(metric, problem.id_column, list(problem.prediction_columns))


def _manage_page(problem: Problem, file_form=None, solution_form=None, program_form=None,
                 code_form=None, settings_form=None):  # fmt: skip
    if code_form is None:
        runs = {"validation_daily_limit": problem.validation_daily_limit}
        code_form = CodeForm(formdata=None, data=(problem.code_limits or {}) | runs)
    if program_form is None:
        program_form = ProgramForm(formdata=None)
        if problem.mode.scored_by_program:
            program_form.columns.data = columns.to_lines(problem.score_columns)
    return render_template(
        "problems/manage.html",
        problem=problem,
        competition=problem.competition,
        metric=metrics.get(problem.metric),
        sample=_sample(problem),
        columns=programs.columns_of(problem),
        file_form=file_form or PublicFileForm(formdata=None),
        solution_form=solution_form or SolutionForm(formdata=None),
        program_form=program_form,
        code_form=code_form,
        settings_form=settings_form or _settings_form(problem, formdata=None),
        may_publish=rules.refusals(actor(), problem, ["published"], utcnow()) == {},
        has_submissions=rules.has_submissions(problem),
        baseline_form=BaselineForm(formdata=None),
        baseline_run=baseline_runs.latest(problem),
        baseline_setup=baseline.setup_of(problem),
        may_take_both=can_take_both(problem),
        may_carry=_may_carry(problem),
    )


def _may_carry(problem: Problem) -> bool:
    """An organizer carries entries to a phase's first task row that takes them."""
    return (problem.carry != Carry.NONE and problem.task_index == 0
            and policy.is_organizer(actor(), problem.competition))  # fmt: skip


@bp.get("/p/<problem_slug>/manage")
@login_required
def manage(slug: str, problem_slug: str):
    return _manage_page(_managed(slug, problem_slug))


@bp.post("/p/<problem_slug>/settings")
@login_required
def update_settings(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = _settings_form(problem)
    if form.validate_on_submit():
        with form_action(form) as ok:
            changed = leaderboard.change_settings(problem, actor(), form.settings_of(problem),
                                                  utcnow())  # fmt: skip
        if ok():
            flash(_saved(problem, changed), "success")
            return _back(problem)
    return _manage_page(problem, settings_form=form)


def _saved(problem: Problem, changed: list[str]) -> str:
    if not rules.outdates_scores(problem, changed):
        return _("The settings are saved.")
    link = url_for("staff_submissions.index", slug=problem.competition.slug,
                   problem_slug=problem.slug)  # fmt: skip
    return Markup('{} <a href="{}">{}</a>').format(
        _("The settings are saved. Existing scores keep the old rule until they are re-scored."),
        link, _("Re-score the submissions"))  # fmt: skip


def _changing(problem: Problem, *names: str):
    """Refuse what the user may not change now (see problems.rules); audit it after."""
    return rules.changing(actor(), problem, names, utcnow())


def _guarded(problem: Problem, names: tuple[str, ...], action: Callable[[], object]):
    """``action`` run within ``_changing``: for the one-button forms."""

    def run() -> None:
        with _changing(problem, *names):
            action()

    return run


def _back(problem: Problem):
    return redirect(url_for(".manage", slug=problem.competition.slug, problem_slug=problem.slug))


@bp.post("/p/<problem_slug>/files")
@login_required
@uploads.checked_first(_may_upload_to(services.max_public_file_bytes, _l("The file")))
def add_file(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = PublicFileForm()
    if form.validate_on_submit():
        upload = form.file.data
        with (
            form_action(form) as ok,
            _changing(problem, "file"),
            storage.staged(upload.stream, services.max_public_file_bytes(), upload.filename) as st,
        ):
            services.add_public_file(problem, st, upload.filename, form.description.data)
        if ok():
            flash(_("The file is added."), "success")
            return _back(problem)
    return _manage_page(problem, file_form=form)


@bp.post("/p/<problem_slug>/files/<int:file_id>/remove")
@login_required
def remove_file(slug: str, problem_slug: str, file_id: int):
    problem = _managed(slug, problem_slug)
    remove = _guarded(problem, ("file",), lambda: services.remove_public_file(problem, file_id))
    button_action(remove, _("The file is removed."))
    return _back(problem)


@bp.post("/p/<problem_slug>/solution")
@login_required
@uploads.checked_first(_may_upload_to(services.max_solution_bytes, _l("The solution")))
def replace_solution(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = SolutionForm()
    if form.validate_on_submit():
        upload = form.solution.data
        with (
            form_action(form) as ok,
            _changing(problem, "solution"),
            storage.staged(upload.stream, services.max_solution_bytes(), _("The solution")) as st,
        ):
            pending = replacement.stage(problem, st, upload.filename)
        if ok():
            return solution_views.keep(pending)
    return _manage_page(problem, solution_form=form)


@bp.post("/p/<problem_slug>/program")
@login_required
@uploads.checked_first(_may_upload_to(services.max_solution_bytes, _l("The program")))
def attach_program(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = ProgramForm()
    if form.validate_on_submit():
        upload = form.program.data
        with (
            form_action(form) as ok,
            _changing(problem, "program"),
            storage.staged(upload.stream, services.max_solution_bytes(), _("The program")) as st,
        ):
            programs.attach_program(problem, st, upload.filename,
                                    columns.from_lines(form.columns.data))  # fmt: skip
        if ok():
            flash(_("The scoring program is in place; new submissions are scored by it."),
                  "success")  # fmt: skip
            return _back(problem)
    return _manage_page(problem, program_form=form)


@bp.post("/p/<problem_slug>/program/remove")
@login_required
def detach_program(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    button_action(_guarded(problem, ("program",), lambda: programs.detach_program(problem)),
                  _("Submissions are scored by the built-in metric again."))  # fmt: skip
    return _back(problem)


@bp.post("/p/<problem_slug>/code")
@login_required
@uploads.checked_first(_may_upload_to(services.max_solution_bytes, _l("The test inputs")))
def take_code(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = CodeForm()
    if form.validate_on_submit():
        upload = form.inputs.data
        with form_action(form) as ok, _changing(problem, "inputs", "limits", "submission_kind"):
            if upload and upload.filename:
                maximum = services.max_solution_bytes()
                with storage.staged(upload.stream, maximum, _("The test inputs")) as st:
                    code.take_code(problem, st, upload.filename, form.limits())
            else:
                code.take_code(problem, None, "", form.limits())
            _set_validation_inputs(problem, form)
        if ok():
            flash(_("Teams now submit code; it runs on the hidden test inputs."), "success")
            return _back(problem)
    return _manage_page(problem, code_form=form)


def _set_validation_inputs(problem: Problem, form: CodeForm) -> None:
    upload, runs = form.validation_inputs.data, form.validation_daily_limit.data
    if not (upload and upload.filename):
        code.set_validation_inputs(problem, None, "", runs, actor())
        return
    maximum = services.max_solution_bytes()
    with storage.staged(upload.stream, maximum, _("The validation inputs")) as staged:
        code.set_validation_inputs(problem, staged, upload.filename, runs, actor())


@bp.post("/p/<problem_slug>/code/remove")
@login_required
def take_predictions(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    button_action(_guarded(problem, ("submission_kind",), lambda: code.take_predictions(problem)),
                  _("Teams now submit prediction files."))  # fmt: skip
    return _back(problem)


@bp.post("/p/<problem_slug>/code/results/<any(on, off):takes>")
@login_required
def set_takes_results(slug: str, problem_slug: str, takes: str):
    problem = _managed(slug, problem_slug)
    on = takes == "on"
    done = (_("Teams may now upload code or results; each upload's kind is told by Codabench's "
              "rule.") if on else _("Teams now upload code only."))  # fmt: skip
    button_action(_guarded(problem, ("takes_results",),
                           lambda: code.set_takes_results(problem, on)), done)  # fmt: skip
    return _back(problem)


@bp.post("/p/<problem_slug>/publish")
@login_required
def publish(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    button_action(_guarded(problem, ("published",), lambda: services.publish(problem, utcnow())),
                  _("The problem is published."), "success")  # fmt: skip
    return _back(problem)


@bp.post("/p/<problem_slug>/unpublish")
@login_required
def unpublish(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    button_action(_guarded(problem, ("published",), lambda: services.unpublish(problem)),
                  _("The problem is back to draft; participants no longer see it."))  # fmt: skip
    return _back(problem)


@bp.get("/p/<problem_slug>/files/<int:file_id>")
def download_file(slug: str, problem_slug: str, file_id: int):
    problem = _visible(slug, problem_slug)
    if not services.can_download_public_files(actor(), problem):
        flash(_("Please log in and accept the competition rules to download the data."), "warning")
        return redirect(url_for("competitions.show", slug=slug, _anchor="rules"))
    item = services.get_public_file(problem, file_id)
    return send_stored(item.storage_key, item.filename)


@bp.get("/p/<problem_slug>/solution")
def download_solution(slug: str, problem_slug: str):
    problem = _visible(slug, problem_slug)
    if not services.can_download_solution(actor(), problem) or problem.solution is None:
        abort(403)
    return send_stored(problem.solution.storage_key, problem.solution.filename)
