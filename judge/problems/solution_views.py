"""Confirming a new solution: what changes (old and new file, how many submissions a
re-score queues), then replace and re-score, or replace only.

The upload itself is checked on the problem's manage page (problems.views); its pending
details wait in the uploader's session, one at a time (a newer upload takes its place).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm

from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import Choice, actor, chosen, confirm_page, form_action
from judge.problems import replacement, rules, services
from judge.problems.models import Problem

bp = Blueprint("problem_solution", __name__, url_prefix="/c/<slug>/p/<problem_slug>")
PENDING = "pending_solution"


def keep(pending: replacement.Pending):
    """Keep a checked upload for confirmation (replacing any earlier one) and go confirm."""
    session[PENDING] = pending.as_dict()
    problem = services.get_problem(pending.problem_id)
    return redirect(url_for("problem_solution.confirm", slug=problem.competition.slug,
                            problem_slug=problem.slug))  # fmt: skip


def _managed(slug: str, problem_slug: str) -> Problem:
    problem = services.get_problem_by_slug(competitions.get_competition(slug), problem_slug)
    services.check_visible(actor(), problem)
    if not services.can_manage(actor(), problem):
        abort(403)
    return problem


def _pending(problem: Problem) -> replacement.Pending | None:
    kept = session.get(PENDING)
    if not kept or kept.get("problem_id") != problem.id:
        return None
    return replacement.Pending(**kept)


def _lines(plan: replacement.Plan) -> list[str]:
    new = plan.new
    lines = [_("New solution: %(file)s, %(rows)d rows (%(public)d public, %(private)d "
               "private).", file=new.filename, rows=new.rows, public=new.public_rows,
               private=new.private_rows)]  # fmt: skip
    if plan.old_filename is not None:
        lines.insert(0, _("Current solution: %(file)s, %(rows)d rows.", file=plan.old_filename,
                          rows=plan.old_rows))  # fmt: skip
    lines.append(ngettext("%(num)d scored or failed submission will be re-scored against the "
                          "new answers if you choose so.",
                          "%(num)d scored or failed submissions will be re-scored against the "
                          "new answers if you choose so.", plan.rescore))  # fmt: skip
    if plan.replace_only:
        lines.append(_("If you replace only, the scores already given keep the old answers "
                       "until someone re-scores them."))  # fmt: skip
    return lines


def _choices(plan: replacement.Plan) -> list[Choice]:
    rescore = Choice(ngettext("Replace and re-score %(num)d submission",
                              "Replace and re-score %(num)d submissions", plan.rescore),
                     "rescore")  # fmt: skip
    only = Choice(_("Replace only"), "only")
    if not plan.rescore:
        return [only]
    return [rescore, only] if plan.replace_only else [rescore]


def _done(ids: list[int]) -> str:
    replaced = _("The solution is replaced.")
    if not ids:
        return replaced
    return replaced + " " + ngettext("%(num)d submission is queued to be scored again.",
                                     "%(num)d submissions are queued to be scored again.",
                                     len(ids))  # fmt: skip


@bp.route("/solution/confirm", methods=["GET", "POST"])
@login_required
def confirm(slug: str, problem_slug: str):
    problem = _managed(slug, problem_slug)
    back = url_for("problems.manage", slug=slug, problem_slug=problem_slug, _anchor="solution")
    pending = _pending(problem)
    if pending is None:
        flash(_("No new solution waits for confirmation; please upload it again."), "warning")
        return redirect(back)
    plan = replacement.plan(problem, pending, utcnow())
    choices = _choices(plan)
    choice = chosen(choices) if FlaskForm().validate_on_submit() else None
    if choice is None:
        return confirm_page(_("Replace the solution of %(problem)s?", problem=problem.title),
                            _lines(plan), back, choices)  # fmt: skip
    with form_action() as ok, rules.changing(actor(), problem, ["solution"], utcnow()):
        ids = replacement.confirm(problem, pending, choice == "rescore", actor(), utcnow())
    if ok():
        session.pop(PENDING, None)
        flash(_done(ids), "success")
    return redirect(back)
