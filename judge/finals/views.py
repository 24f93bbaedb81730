"""Pages of stage two: the organizer's finals console, the judges' page, the results page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions import services as competitions
from judge.competitions.access import organized
from judge.competitions.forms import read_local, to_local
from judge.competitions.models import Competition
from judge.core import queue, storage, uploads
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_stored
from judge.core.errors import DomainError
from judge.core.web import Choice, actor, button_action, confirm_page, form_action
from judge.finals import (
    certificates,
    comments,
    judging,
    materials,
    results,
    scoresheet,
    services,
    stability,
)
from judge.finals.forms import (
    AssignJudgeForm,
    CriterionForm,
    FinalizeForm,
    PrizeForm,
    ReasonForm,
    SettingsForm,
    TierForm,
)
from judge.finals.tasks import rank_stability_task
from judge.problems import series
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.teams import services as teams
from judge.teams.models import Team

bp = Blueprint("finals", __name__, url_prefix="/c/<slug>")


def _problem(competition: Competition, problem_slug: str) -> Problem:
    """A problem finals rank: a series' phase that does not decide the ranking is no such."""
    problem = problems.get_problem_by_slug(competition, problem_slug)
    if not problem.decides_ranking:
        abort(404)
    return problem


def _published(competition: Competition) -> list[Problem]:
    """The problems finals rank: each one on its own, and each series' deciding row."""
    return [p for p in problems.visible_problems(competition, actor())
            if p.is_published and p.decides_ranking]  # fmt: skip


def _console(competition: Competition):
    """Back to the console; its acts use form_action() without a form, so that a refusal is
    flashed (an error put on a posted form would be lost with the redirect)."""
    return redirect(url_for("finals.console", slug=competition.slug))


def _forms(competition: Competition, settings) -> dict:
    tier = TierForm(prefix="tier")
    tier.division_id.choices = [SelectChoice(d.id, d.name) for d in competition.divisions]
    prize = PrizeForm(prefix="prize")
    prize.team_id.choices = [SelectChoice(t.id, t.name) for t in _teams(competition)]
    data = {k: getattr(settings, k) for k in services.SETTINGS_FIELDS}
    assign = _assign_form(competition)
    data["uploads_close_at"] = to_local(settings.uploads_close_at, competition.timezone)
    return {"settings_form": SettingsForm(prefix="settings", data=data),
            "criterion_form": CriterionForm(prefix="criterion"), "tier_form": tier,
            "prize_form": prize, "assign_form": assign}  # fmt: skip


def _assign_form(competition: Competition) -> AssignJudgeForm:
    form = AssignJudgeForm(prefix="assign")
    form.judge_id.choices = [SelectChoice(j.id, j.name) for j in judging.judges(competition)]
    form.problem_id.choices = [SelectChoice(p.id, p.title) for p in _published(competition)]
    return form


def _teams(competition: Competition) -> list[Team]:
    return sorted({f.team for f in judging.competition_finalists(competition)},
                  key=lambda t: t.name)  # fmt: skip


@bp.get("/finals")
@login_required
def console(slug: str):
    competition = organized(slug)
    settings = services.settings_of(competition)
    published = _published(competition)
    return render_template(
        "finals/console.html", competition=competition, settings=settings, problems=published,
        lines={p.id: results.compute(p) for p in published}, tiers=results.tiers,
        divisions={d.id: d.name for d in competition.divisions},
        criteria=judging.criteria(competition), judges=judging.judges(competition),
        assignments=judging.assignments(competition),
        missing=judging.missing(competition), prizes=results.special_prizes(competition),
        stable=stability.of_competition([f.id for f in judging.competition_finalists(competition)]),
        to_reveal=results.unrevealed(competition, utcnow()),
        phased=services.phased(competition), phase_label=series.phase_label,
        **_forms(competition, settings),
    )  # fmt: skip


@bp.post("/finals/series/<int:series_id>/decides")
@login_required
def set_deciding(slug: str, series_id: int):
    competition = organized(slug)
    row_id = request.form.get("row_id", type=int) or 0
    button_action(lambda: services.set_deciding(competition, series_id, row_id, actor()),
                  _("The phase that decides the ranking is changed."))  # fmt: skip
    return _console(competition)


@bp.post("/finals/settings")
@login_required
def save_settings(slug: str):
    competition = organized(slug)
    form = SettingsForm(prefix="settings")
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in services.SETTINGS_FIELDS}
        values["uploads_close_at"] = read_local(values["uploads_close_at"], competition.timezone)
        with form_action() as ok:
            services.update_settings(competition, actor(), values)
        if ok():
            flash(_("Finals settings saved."), "info")
    else:
        flash(_("Check the settings: %(errors)s", errors=_errors(form)), "error")
    return _console(competition)


def _errors(form: FlaskForm) -> str:
    return "; ".join(
        f"{getattr(form, k).label.text}: {' '.join(v)}" for k, v in form.errors.items()
    )


def _confirm(competition: Competition, title: str, lines: list[str], button: str,
             form: FlaskForm | None = None) -> str:  # fmt: skip
    back = url_for("finals.console", slug=competition.slug)
    return confirm_page(title, lines, back, [Choice(button)], form)


def _shortlist_lines(plan: list[tuple[str, int]]) -> list[str]:
    return [ngettext("%(num)d team will be shortlisted in %(division)s.",
                     "%(num)d teams will be shortlisted in %(division)s.", count,
                     division=division) for division, count in plan] + [
        _("Earlier finalists no longer in the top are taken off the shortlist; the new "
          "finalists are notified.")]  # fmt: skip


@bp.route("/finals/p/<problem_slug>/shortlist", methods=["GET", "POST"])
@login_required
def shortlist(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    if not FlaskForm().validate_on_submit():
        return _confirm(competition, _("Shortlist %(title)s?", title=problem.title),
                        _shortlist_lines(services.shortlist_plan(problem)),
                        _("Shortlist from the private leaderboard"))  # fmt: skip
    button_action(lambda: services.shortlist(problem, actor(), utcnow()),
                  _("The shortlist of %(title)s is made.", title=problem.title))  # fmt: skip
    return _console(competition)


def _finalist(competition: Competition, finalist_id: int):
    finalist = services.finalist_of(competition, finalist_id)
    if finalist is None:
        abort(404)
    return finalist


@bp.post("/finals/p/<problem_slug>/stability")
@login_required
def compute_stability(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    if FlaskForm().validate_on_submit():
        if not problem.mode.rank_stability:
            flash(_("Rank stability needs a problem scored by a built-in metric."), "error")
        elif queue.send(rank_stability_task, problem.id):
            flash(_("The worker is computing the rank stability; reload in a minute."), "info")
        else:
            flash(_("The queue is not reachable; try again in a minute."), "error")
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/reproduce")
@login_required
def reproduce(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    if FlaskForm().validate_on_submit():
        ids: list[int] = []
        with form_action() as ok:
            ids = services.request_reproductions(problem, actor())
        if ok():
            flash(_("%(n)d re-runs are queued; reload in a few minutes.", n=len(ids)), "info")
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/tolerance")
@login_required
def set_tolerance(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    if FlaskForm().validate_on_submit():
        try:
            tolerance = float(request.form.get("tolerance", ""))
        except ValueError:
            flash(_("The tolerance must be a number."), "error")
            return _console(competition)
        with form_action() as ok:
            services.set_tolerance(problem, actor(), tolerance)
        if ok():
            flash(_("Tolerance saved."), "info")
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/medals")
@login_required
def set_medals(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    on = request.form.get("medals") == "on"
    button_action(lambda: services.set_medals(problem, actor(), on), _("Saved."))
    return _console(competition)


@bp.post("/finals/finalists/<int:finalist_id>/<any(disqualify, override):act>")
@login_required
def with_reason(slug: str, finalist_id: int, act: str):
    competition = organized(slug)
    finalist = _finalist(competition, finalist_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give the reason."), "error")
        return _console(competition)
    with form_action() as ok:
        if act == "disqualify":
            services.disqualify(finalist, actor(), form.reason.data, utcnow())
        else:
            services.override_reproduction(finalist, actor(), form.reason.data)
    if ok():
        flash(_("Saved for %(team)s.", team=finalist.team.name), "info")
    return _console(competition)


@bp.post("/finals/finalists/<int:finalist_id>/reinstate")
@login_required
def reinstate(slug: str, finalist_id: int):
    competition = organized(slug)
    finalist = _finalist(competition, finalist_id)
    button_action(lambda: services.reinstate(finalist, actor()),
                  _("%(team)s is back among the finalists.", team=finalist.team.name))  # fmt: skip
    return _console(competition)


@bp.post("/finals/criteria")
@login_required
def add_criterion(slug: str):
    competition = organized(slug)
    form = CriterionForm(prefix="criterion")
    if form.validate_on_submit():
        with form_action() as ok:
            judging.add_criterion(competition, form.name.data, form.weight.data,
                                  form.max_points.data, form.description.data or "",
                                  actor())  # fmt: skip
        if ok():
            flash(_("The criterion is added."), "info")
    else:
        flash(_("Check the criterion: %(errors)s", errors=_errors(form)), "error")
    return _console(competition)


@bp.post("/finals/criteria/<int:criterion_id>/remove")
@login_required
def remove_criterion(slug: str, criterion_id: int):
    competition = organized(slug)
    button_action(lambda: judging.remove_criterion(competition, criterion_id, actor()),
                  _("The criterion is removed."))  # fmt: skip
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/tiers")
@login_required
def add_tier(slug: str, problem_slug: str):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    form = TierForm(prefix="tier")
    form.division_id.choices = [SelectChoice(d.id, d.name) for d in competition.divisions]
    if form.validate_on_submit():
        keys = ("name_ko", "name_en", "teams", "amount", "currency", "awarding_body")
        values = {k: getattr(form, k).data for k in keys}
        values["currency"] = values["currency"].upper()
        with form_action() as ok:
            results.add_tier(problem, form.division_id.data, values, actor())
        if ok():
            flash(_("The award is added."), "info")
    else:
        flash(_("Check the award: %(errors)s", errors=_errors(form)), "error")
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/tiers/<int:tier_id>/remove")
@login_required
def remove_tier(slug: str, problem_slug: str, tier_id: int):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    button_action(lambda: results.remove_tier(problem, tier_id, actor()),
                  _("The award is removed."))  # fmt: skip
    return _console(competition)


@bp.post("/finals/judges")
@login_required
def assign_judge(slug: str):
    competition = organized(slug)
    form = _assign_form(competition)
    if form.validate_on_submit():
        problem = next(p for p in _published(competition) if p.id == form.problem_id.data)
        with form_action() as ok:
            judging.assign(problem, form.judge_id.data, actor())
        if ok():
            flash(_("The judge now scores the finalists of %(problem)s.", problem=problem.title),
                  "info")  # fmt: skip
    else:
        flash(_("Choose a judge and a problem."), "error")
    return _console(competition)


@bp.post("/finals/p/<problem_slug>/judges/<int:judge_id>/remove")
@login_required
def unassign_judge(slug: str, problem_slug: str, judge_id: int):
    competition = organized(slug)
    problem = _problem(competition, problem_slug)
    button_action(lambda: judging.unassign(problem, judge_id, actor()),
                  _("The judge no longer scores %(problem)s.", problem=problem.title))  # fmt: skip
    return _console(competition)


@bp.post("/finals/prizes")
@login_required
def add_prize(slug: str):
    competition = organized(slug)
    form = PrizeForm(prefix="prize")
    form.team_id.choices = [SelectChoice(t.id, t.name) for t in _teams(competition)]
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in ("name", "awarding_body", "amount")}
        values["currency"] = form.currency.data.upper()
        with form_action() as ok:
            results.add_special_prize(competition, form.team_id.data, values, actor())
        if ok():
            flash(_("The special prize is added."), "info")
    else:
        flash(_("Check the prize: %(errors)s", errors=_errors(form)), "error")
    return _console(competition)


def _finalize_lines(plan: results.FinalizePlan) -> list[str]:
    lines = [ngettext("%(num)d finalist's result will be published on the results page.",
                      "%(num)d finalists' results will be published on the results page.",
                      plan.finalists)]  # fmt: skip
    if plan.unrevealed:
        lines.append(_("The private leaderboards of %(titles)s will be revealed to everyone.",
                       titles=", ".join(p.title for p in plan.unrevealed)))  # fmt: skip
    if plan.waiting:
        lines.append(_("Some finalists have no final score yet: %(names)s",
                       names=", ".join(sorted({f.team.name for f in plan.waiting}))))  # fmt: skip
    return [*lines, _("Nothing in stage two can change until you reopen the results.")]


@bp.route("/finals/finalize", methods=["GET", "POST"])
@login_required
def finalize(slug: str):
    competition = organized(slug)
    form = FinalizeForm()
    if not form.validate_on_submit():
        plan = results.finalize_plan(competition, utcnow())
        return _confirm(competition, _("Finalize and publish the results?"),
                        _finalize_lines(plan), _("Finalize and publish the results"),
                        form if plan.unrevealed else None)  # fmt: skip
    with form_action() as ok:
        results.finalize(competition, actor(), utcnow(), reveal=form.reveal.data)
    if ok():
        flash(_("The results are finalized and published."), "info")
    return _console(competition)


@bp.route("/finals/reopen", methods=["GET", "POST"])
@login_required
def reopen(slug: str):
    competition = organized(slug)
    form = ReasonForm()
    if not form.validate_on_submit():
        lines = [_("The results page is hidden and stage two can change again, until you "
                   "finalize again. The revealed leaderboards stay revealed.")]  # fmt: skip
        return _confirm(competition, _("Reopen the results?"), lines,
                        _("Reopen the results"), form)  # fmt: skip
    with form_action() as ok:
        results.reopen(competition, actor(), form.reason.data)
    if ok():
        flash(_("The results are reopened; the results page is hidden."), "info")
    return _console(competition)


@bp.get("/audit")
@login_required
def audit_log(slug: str):
    competition = organized(slug)
    action = request.args.get("action") or None
    if action not in audit.ACTIONS:
        action = None
    return render_template("finals/audit.html", competition=competition, action=action,
                           actions=audit.ACTIONS,
                           entries=audit.entries(competition.id, action))  # fmt: skip


def _judged(slug: str) -> Competition:
    competition = competitions.get_competition(slug)
    if not policy.is_judge(actor(), competition):
        abort(403)
    return competition


@bp.get("/judging")
@login_required
def judging_page(slug: str):
    return _sheet_page(_judged(slug))


def _sheet_page(competition: Competition, sheet: dict | None = None, errors=()):
    """The judge's sheet; after a refused save, with what was typed and each cell's error."""
    views = [judging.judge_view(actor(), f) for f in judging.finalists_for(actor(), competition)]
    mine = [v.finalist for v in views if not v.conflicted]
    criteria = judging.criteria(competition)
    return render_template(
        "finals/judging.html", competition=competition, views=views, criteria=criteria,
        weights=sum(c.weight for c in criteria), comments=comments.own(actor(), mine),
        progress=scoresheet.progress(views), sheet=sheet or {}, errors=errors,
        cell_errors={(e.finalist_id, e.criterion_id): e.message for e in errors},
        locked=services.settings_of(competition).locked_at is not None,
        stable=stability.of_competition([v.finalist.id for v in views]),
        max_comment=comments.MAX_CHARS,
    ), (422 if errors else 200)  # fmt: skip


@bp.post("/judging")
@login_required
def save_sheet(slug: str):
    competition = _judged(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    sheet = scoresheet.from_form(request.form)
    try:
        with unit_of_work():
            scoresheet.save(actor(), competition, sheet, utcnow())
    except scoresheet.SheetInvalid as exc:
        return _sheet_page(competition, sheet, exc.errors)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Your scores and comments are saved."), "info")
    return redirect(url_for("finals.judging_page", slug=slug))


@bp.route("/finals/reviews", methods=["GET", "POST"])
@login_required
def reviews(slug: str):
    """The organizers' view of every judge's total and comment; sharing them with teams."""
    competition = organized(slug)
    if request.method == "POST":
        on = request.form.get("shared") == "on"
        button_action(lambda: comments.share_with_teams(competition, actor(), on), _("Saved."))
        return redirect(url_for("finals.reviews", slug=slug))
    return render_template("finals/reviews.html", competition=competition,
                           reviews=comments.reviews(competition),
                           settings=services.settings_of(competition))  # fmt: skip


@bp.get("/finals/feedback")
@login_required
def feedback(slug: str):
    """A finalist team's judges' comments, once published and shared."""
    competition = competitions.get_competition(slug)
    mine = _my_finalists(competition)
    return render_template("finals/feedback.html", competition=competition,
                           notes=[(f, comments.for_team(f)) for f in mine])  # fmt: skip


@bp.get("/results")
def results_page(slug: str):
    competition = competitions.get_competition(slug)
    entries = results.published(competition)
    mine = {award.key for award in certificates.downloadable(actor(), competition)}
    return render_template("finals/results.html", competition=competition, entries=entries,
                           prizes=results.special_prizes(competition) if entries else [],
                           divisions={d.id: d.name for d in competition.divisions},
                           certificates=mine,
                           organizer=policy.is_organizer(actor(), competition))  # fmt: skip


def _my_finalists(competition: Competition) -> list:
    team = teams.team_of(actor(), competition)
    mine = [f for f in judging.competition_finalists(competition) if team and f.team_id == team.id]
    if not mine:
        abort(404)
    return mine


def _may_hand_in(slug: str):
    """Before the file is read: a member of a finalist team, uploads open, not too large."""
    if (login := uploads.unless_logged_in()) is not None:
        return login
    mine = _my_finalists(competitions.get_competition(slug))
    refusals = []
    for finalist in mine:
        try:
            materials.check_may_upload(finalist, actor(), utcnow())
            uploads.refuse_larger_than(materials.max_bytes(finalist), _("The file"))
            return None
        except DomainError as exc:
            refusals.append(exc)
    flash(refusals[-1].message, "error")
    return redirect(url_for("finals.materials_page", slug=slug))


@bp.route("/finals/materials", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_hand_in)
def materials_page(slug: str):
    competition = competitions.get_competition(slug)
    mine = _my_finalists(competition)
    if request.method == "POST" and FlaskForm().validate_on_submit():
        _hand_in(competition, mine)
        return redirect(url_for("finals.materials_page", slug=slug))
    settings = services.settings_of(competition)
    return render_template("finals/materials.html", competition=competition, finalists=mine,
                           settings=settings, kinds=materials.KINDS,
                           comments_shared=comments.shared(competition))  # fmt: skip


def _hand_in(competition: Competition, mine: list) -> None:
    finalist = next((f for f in mine if str(f.id) == request.form.get("finalist")), None)
    kind = request.form.get("kind")
    upload = request.files.get("file")
    if finalist is None or kind not in materials.KINDS or upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return
    with form_action() as ok:
        materials.check_may_upload(finalist, actor(), utcnow())
        with storage.staged(upload.stream, materials.max_bytes(finalist), _("file")) as staged:
            materials.hand_in(finalist, actor(), kind, staged, upload.filename, utcnow())
    if ok():
        flash(_("%(file)s is handed in.", file=upload.filename), "info")


@bp.get("/finals/finalists/<int:finalist_id>/<any(code, report):kind>")
@login_required
def download_material(slug: str, finalist_id: int, kind: str):
    competition = competitions.get_competition(slug)
    finalist = services.finalist_of(competition, finalist_id)
    if finalist is None or not materials.may_download(actor(), finalist):
        abort(404)
    key = finalist.code_key if kind == "code" else finalist.report_key
    name = finalist.code_filename if kind == "code" else finalist.report_filename
    if not key:
        abort(404)
    return send_stored(key, name)
