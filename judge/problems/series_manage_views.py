"""Organizers' pages of a problem with phases: create it, add phases and tasks, rename and
edit a phase, edit what the whole problem shares, choose the phase that decides the ranking.

Organizers of the competition only (a sponsor's member sets up a task row on its own page).
Each form is one unit of work: a refused field is shown beside it and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.competitions import services as competitions
from judge.competitions.access import organized
from judge.competitions.forms import sponsor_choices
from judge.competitions.models import Competition
from judge.core import storage, uploads
from judge.core.db import utcnow
from judge.core.errors import DomainError
from judge.core.web import Choice, actor, chosen, confirm_page, form_action
from judge.problems import series as service
from judge.problems import series_pages as pages
from judge.problems import services as problems
from judge.problems.models import ProblemSeries
from judge.problems.series_forms import (
    DecideForm,
    NewPhaseForm,
    NewSeriesForm,
    NewTaskForm,
    PhaseSettingsForm,
    SeriesSettingsForm,
)

bp = Blueprint("series_manage", __name__, url_prefix="/c/<slug>")


def _managed(slug: str, series_slug: str) -> ProblemSeries:
    competition = organized(slug)
    return service.get_series(competition, series_slug)


def _may_upload(slug: str, series_slug: str | None = None, **_ignored: Any) -> Any:
    """Before the body (a solution) is read: logged in, an organizer, not too large."""
    if (login := uploads.unless_logged_in()) is not None:
        return login
    if series_slug is None:
        organized(slug)
    else:
        _managed(slug, series_slug)
    uploads.refuse_larger_than(problems.max_solution_bytes(), _("The solution"))
    return None


@contextmanager
def _field_renamed(name: str, shown_as: str) -> Iterator[None]:
    """A service's error about ``name`` belongs beside the form's ``shown_as``."""
    try:
        yield
    except DomainError as exc:
        if exc.field == name:
            exc.field = shown_as
        raise


# --- creating ---------------------------------------------------------------------------


@bp.route("/series/new", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_upload)
def create(slug: str):
    competition = organized(slug)
    form = NewSeriesForm()
    form.sponsor_id.choices = sponsor_choices(list(competition.sponsors))
    if form.validate_on_submit():
        series = _create(competition, form)
        if series is not None:
            flash(_("The problem with phases is created; its first phase is a draft. Add "
                    "phases and tasks, then publish each task's row."), "success")  # fmt: skip
            return redirect(url_for(".manage", slug=slug, series_slug=series.slug))
    return render_template("problems/series_new.html", competition=competition, form=form)


def _create(competition: Competition, form: NewSeriesForm) -> ProblemSeries | None:
    upload = form.solution.data
    with (
        form_action(form) as ok,
        storage.staged(upload.stream, problems.max_solution_bytes(), _("The solution")) as staged,
    ):
        with _field_renamed("slug", "series_slug"):
            series = service.create_series(competition, slug=form.series_slug.data,
                                           title=form.title.data, actor=actor(),
                                           description=form.shared()["description"])  # fmt: skip
        service.add_phase(
            series, slug=form.slug.data, solution_upload=staged,
            solution_filename=upload.filename, actor=actor(),
            sponsor=competitions.get_sponsor(competition, form.sponsor_id.data),
            phase_name=form.phase_name.data, metric=form.metric.data,
            score_decimals=form.score_decimals.data,
            **form.phase_settings(competition.timezone), **form.task_settings(),
        )  # fmt: skip
    return series if ok() else None


@bp.route("/s/<series_slug>/phases/new", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_upload)
def add_phase(slug: str, series_slug: str):
    series = _managed(slug, series_slug)
    form = NewPhaseForm()
    if form.validate_on_submit():
        upload = form.solution.data
        with (
            form_action(form) as ok,
            storage.staged(upload.stream, problems.max_solution_bytes(),
                           _("The solution")) as staged,
        ):  # fmt: skip
            service.add_phase(series, slug=form.slug.data, solution_upload=staged,
                              solution_filename=upload.filename, actor=actor(),
                              **form.phase_options(),
                              **form.phase_settings(series.competition.timezone),
                              **form.task_settings())  # fmt: skip
        if ok():
            flash(_("The phase is added as a draft."), "success")
            return _back(series)
    number = service.phase_count(series) + 1
    return render_template("problems/series_phase_new.html", series=series, form=form,
                           competition=series.competition, number=number)  # fmt: skip


@bp.route("/s/<series_slug>/phases/<int:number>/tasks/new", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_upload)
def add_task(slug: str, series_slug: str, number: int):
    series = _managed(slug, series_slug)
    first = _first_row(series, number)
    form = NewTaskForm()
    if form.validate_on_submit():
        upload = form.solution.data
        with (
            form_action(form) as ok,
            storage.staged(upload.stream, problems.max_solution_bytes(),
                           _("The solution")) as staged,
        ):  # fmt: skip
            service.add_task(series, number - 1, slug=form.slug.data, solution_upload=staged,
                             solution_filename=upload.filename, actor=actor(),
                             **form.task_settings())  # fmt: skip
        if ok():
            flash(_("The task is added as a draft."), "success")
            return _back(series)
    phase = service.phase_label(first)
    return render_template("problems/series_task_new.html", series=series, form=form,
                           competition=series.competition, phase=phase)  # fmt: skip


# --- managing ---------------------------------------------------------------------------


def _first_row(series: ProblemSeries, number: int):
    rows = service.phase_rows(series, number - 1) if number >= 1 else []
    if not rows:
        abort(404)
    return rows[0]


def _back(series: ProblemSeries):
    return redirect(url_for(".manage", slug=series.competition.slug, series_slug=series.slug))


def _manage_page(series: ProblemSeries, series_form=None, phase_forms=None):
    shown = pages.phases(series, actor())
    forms = {p.index: PhaseSettingsForm.of(p.first, formdata=None, prefix=f"phase{p.index}")
             for p in shown} | (phase_forms or {})  # fmt: skip
    return render_template(
        "problems/series_manage.html",
        series=series,
        competition=series.competition,
        phases=shown,
        series_form=series_form or SeriesSettingsForm.of(series, shown[0].first, formdata=None),
        phase_forms=forms,
    )


@bp.get("/s/<series_slug>/manage")
@login_required
def manage(slug: str, series_slug: str):
    series = _managed(slug, series_slug)
    pages.visible_phases(series, actor())
    return _manage_page(series)


@bp.post("/s/<series_slug>/settings")
@login_required
def update_series(slug: str, series_slug: str):
    series = _managed(slug, series_slug)
    first = pages.visible_phases(series, actor())[0].first
    form = SeriesSettingsForm.of(series, first)
    if form.validate_on_submit():
        with form_action(form) as ok:
            service.edit_series(series, actor(), form.shared(), utcnow())
        if ok():
            flash(_("The settings are saved on every phase and task."), "success")
            return _back(series)
    return _manage_page(series, series_form=form)


@bp.post("/s/<series_slug>/phases/<int:number>")
@login_required
def update_phase(slug: str, series_slug: str, number: int):
    series = _managed(slug, series_slug)
    first = _first_row(series, number)
    form = PhaseSettingsForm.of(first, prefix=f"phase{number - 1}")
    if form.validate_on_submit():
        with form_action(form) as ok:
            service.rename_phase(series, number - 1, form.phase_name.data, actor())
            service.edit_phase(series, number - 1, actor(), form.settings_of(first), utcnow())
        if ok():
            flash(_("The phase is saved on each of its tasks."), "success")
            return _back(series)
    return _manage_page(series, phase_forms={number - 1: form})


@bp.route("/s/<series_slug>/phases/<int:number>/decides", methods=["GET", "POST"])
@login_required
def decides(slug: str, series_slug: str, number: int):
    """Ask first (it changes what ranks the teams), then make the phase's first task row
    the one that decides (audited in the service)."""
    series = _managed(slug, series_slug)
    row = _first_row(series, number)
    label = service.phase_label(row)
    choices = [Choice(_("Rank the teams by %(phase)s", phase=label))]
    form = DecideForm()
    if form.validate_on_submit() and chosen(choices):
        with form_action(form) as ok:
            service.set_decides_ranking(series, row, actor())
        if ok():
            flash(_("%(phase)s now decides the ranking.", phase=label), "success")
            return _back(series)
    before = service.deciding_row(series)
    lines = [
        _("Shortlists, awards, certificates, rank stability and reproduction will use the "
          "private board of %(phase)s (task %(task)s).", phase=label, task=row.slug),
        _("Until now: %(phase)s.", phase=service.phase_label(before) if before else "—"),
    ]  # fmt: skip
    back = url_for(".manage", slug=slug, series_slug=series_slug)
    return confirm_page(_("Choose the phase that decides the ranking"), lines, back, choices)
