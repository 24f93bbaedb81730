"""The dashboard page of one problem, for its sponsor and the organizers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required

from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import actor
from judge.dashboard.services import dashboard
from judge.problems import services as problems

bp = Blueprint("dashboard", __name__, url_prefix="/c/<slug>/p/<problem_slug>")


@bp.get("/dashboard")
@login_required
def show(slug: str, problem_slug: str):
    competition = competitions.get_competition(slug)
    problem = problems.get_problem_by_slug(competition, problem_slug)
    problems.check_visible(actor(), problem)
    if not problems.can_manage(actor(), problem):
        abort(403)
    divisions = {d.id: d.name for d in competition.divisions}
    return render_template("dashboard/show.html", competition=competition, problem=problem,
                           divisions=divisions, data=dashboard(problem, utcnow()))  # fmt: skip
