"""The review of a sponsor's problem: its members submit it from the problem's page; the
organizers publish it or send it back from the competition's console."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import actor, button_action, form_action
from judge.problems import review, rules, services
from judge.problems.forms import PublishReviewedForm, SendBackForm
from judge.problems.models import Problem

bp = Blueprint("problem_review", __name__, url_prefix="/c/<slug>/p/<problem_slug>/review")


def _managed(slug: str, problem_slug: str) -> Problem:
    """The problem, if the user manages it (404 for a draft they may not see, else 403)."""
    problem = services.get_problem_by_slug(competitions.get_competition(slug), problem_slug)
    services.check_visible(actor(), problem)
    if not services.can_manage(actor(), problem):
        abort(403)
    return problem


def _reviewed(slug: str, problem_slug: str) -> Problem:
    """A problem the user reviews: an organizer of its competition."""
    problem = _managed(slug, problem_slug)
    if not policy.is_organizer(actor(), problem.competition):
        abort(403)
    return problem


def _queue(slug: str):
    return redirect(url_for("competitions.manage", slug=slug, _anchor="review"))


def _errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


@bp.post("")
@login_required
def submit(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    button_action(lambda: review.submit(problem, actor(), utcnow()),
                  _("The problem is submitted for review; the organizers are told."),
                  "success")  # fmt: skip
    return redirect(url_for("problems.manage", slug=slug, problem_slug=problem_slug))


@bp.post("/publish")
@login_required
def publish(slug: str, problem_slug: str):
    problem = _reviewed(slug, problem_slug)
    form = PublishReviewedForm()
    if not form.validate_on_submit():
        _errors(form)
        return _queue(slug)
    with form_action() as ok, rules.changing(actor(), problem, ["published"], utcnow()):
        services.publish(problem, utcnow())
    if ok():
        flash(_("The problem %(problem)s is published.", problem=problem.title), "success")
    return _queue(slug)


@bp.post("/send-back")
@login_required
def send_back(slug: str, problem_slug: str):
    problem = _reviewed(slug, problem_slug)
    form = SendBackForm()
    if not form.validate_on_submit():
        _errors(form)
        return _queue(slug)
    with form_action() as ok:
        review.send_back(problem, actor(), form.comment.data, utcnow())
    if ok():
        flash(_("The problem %(problem)s is sent back to its sponsor.", problem=problem.title),
              "success")  # fmt: skip
    return _queue(slug)
