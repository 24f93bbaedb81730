"""Organizers' and sponsors' pages for a problem's submissions: every team's list,
re-scoring, cancelling, a job's log with the scores re-scoring replaced, and baseline runs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.competitions import services as competitions
from judge.core import storage, uploads
from judge.core.db import utcnow
from judge.core.extensions import db
from judge.core.web import Choice, actor, button_action, confirm_page, form_action
from judge.problems import services as problems
from judge.problems.forms import BaselineForm
from judge.problems.models import Problem
from judge.submissions import baseline, rescoring
from judge.submissions import services as submissions
from judge.submissions.models import Submission

bp = Blueprint("staff_submissions", __name__, url_prefix="/c/<slug>/p/<problem_slug>")


def _managed(slug: str, problem_slug: str) -> Problem:
    problem = problems.get_problem_by_slug(competitions.get_competition(slug), problem_slug)
    problems.check_visible(actor(), problem)
    if not problems.can_manage(actor(), problem):
        abort(403)
    return problem


def _submission(problem: Problem, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.problem_id != problem.id:
        abort(404)
    return submission


def _back(problem: Problem):
    return redirect(url_for(".index", slug=problem.competition.slug, problem_slug=problem.slug))


@bp.get("/all-submissions")
@login_required
def index(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    rows = rescoring.problem_submissions(problem, actor())
    return render_template("submissions/staff.html", problem=problem,
                           competition=problem.competition, rows=rows)  # fmt: skip


@bp.get("/all-submissions/<int:submission_id>")
@login_required
def log(slug: str, problem_slug: str, submission_id: int):
    problem = _managed(slug, problem_slug)
    submission = _submission(problem, submission_id)
    return render_template("submissions/staff_log.html", problem=problem,
                           competition=problem.competition, submission=submission,
                           history=rescoring.history(submission))  # fmt: skip


@bp.post("/all-submissions/<int:submission_id>/rescore")
@login_required
def rescore(slug: str, problem_slug: str, submission_id: int):
    problem = _managed(slug, problem_slug)
    submission = _submission(problem, submission_id)
    message = _("Submission %(id)d is queued to be scored again.", id=submission.id)
    button_action(lambda: rescoring.rescore_submission(submission, actor(), utcnow()), message)
    return _back(problem)


def rescore_lines(count: int) -> list[str]:
    """What re-scoring ``count`` submissions does, for a confirm page."""
    return [ngettext("%(num)d submission will be scored again.",
                     "%(num)d submissions will be scored again.", count),
            _("Their scores stay on the leaderboards until the new ones replace them; the "
              "old ones are kept in each submission's history. Teams whose public score "
              "changes are notified.")]  # fmt: skip


@bp.route("/all-submissions/rescore", methods=["GET", "POST"])
@login_required
def rescore_all(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    choices = [Choice(_("Re-score all finished submissions"))]
    if not EmptyForm().validate_on_submit():
        return confirm_page(_("Re-score %(problem)s?", problem=problem.title),
                            rescore_lines(rescoring.rescore_plan(problem)),
                            url_for(".index", slug=slug, problem_slug=problem_slug),
                            choices)  # fmt: skip
    ids: list[int] = []
    with form_action() as ok:
        ids = rescoring.rescore_problem(problem, actor(), utcnow())
    if ok():
        flash(ngettext("%(num)d submission is queued to be scored again.",
                       "%(num)d submissions are queued to be scored again.", len(ids)),
              "info")  # fmt: skip
    return _back(problem)


@bp.post("/all-submissions/<int:submission_id>/cancel")
@login_required
def cancel(slug: str, problem_slug: str, submission_id: int):
    problem = _managed(slug, problem_slug)
    submission = _submission(problem, submission_id)
    button_action(lambda: submissions.cancel(submission, actor(), utcnow()),
                  _("The submission is cancelled."))  # fmt: skip
    return _back(problem)


def _may_run_baseline(slug: str, problem_slug: str):
    """Before the body is read: logged in, managing the problem, not too large."""
    if (login := uploads.unless_logged_in()) is not None:
        return login
    _managed(slug, problem_slug)
    uploads.refuse_larger_than(submissions.max_bytes(), _l("The file"))
    return None


@bp.post("/baseline")
@login_required
@uploads.checked_first(_may_run_baseline)
def run_baseline(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    form = BaselineForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, "error")
    else:
        upload = form.file.data
        with (
            form_action() as ok,
            storage.staged(upload.stream, submissions.max_bytes(), upload.filename) as staged,
        ):
            baseline.run(problem, staged, upload.filename, actor(), utcnow())
        if ok():
            flash(_("The baseline run is queued; its score shows here once a worker has scored "
                    "it."), "success")  # fmt: skip
    return redirect(url_for("problems.manage", slug=slug, problem_slug=problem_slug,
                            _anchor="baseline"))  # fmt: skip


@bp.post("/baseline/bundle-solution")
@login_required
def run_bundle_solution(slug: str, problem_slug: str):
    """Run the solution the problem's bundle shipped as its baseline (no upload)."""
    problem = _managed(slug, problem_slug)
    button_action(lambda: baseline.run_bundle_solution(problem, actor(), utcnow()),
                  _("The baseline run is queued; its score shows here once a worker has scored "
                    "it."), "success")  # fmt: skip
    return redirect(url_for("problems.manage", slug=slug, problem_slug=problem_slug,
                            _anchor="baseline"))  # fmt: skip
