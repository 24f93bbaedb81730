"""Leaderboard pages: the public board, the private one once it may be seen, CSV, reveal.

The rules mirror /api/v1: the private board only for ``can_see_private``;
CSV downloads for the competition's organizers and the problem's sponsor;
the reveal for organizers.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.client.scores import score_text
from judge.competitions import policy
from judge.core.db import utcnow
from judge.core.downloads import send_stream
from judge.core.web import Choice, actor, confirm_page, form_action
from judge.leaderboard import export, page, shakeup
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.problems.programs import columns_of
from judge.scoring import metrics
from judge.scoring.programs import columns as cols
from judge.teams import services as teams

bp = Blueprint("leaderboard", __name__, url_prefix="/c/<slug>/p/<problem_slug>")

BOARDS = ("public", "private")
PAGE_SIZE = 100  # teams per page of the web board
# Excel reads a CSV without a byte order mark in the local code page and garbles Korean names.
BOM = "\ufeff"


@bp.app_template_filter("score")
def format_score(value: float | None, decimals: int) -> str:
    """A score with the problem's number of decimals, or a dash when there is none."""
    return score_text(value, decimals) or "—"


@bp.app_template_filter("column_value")
def format_column_value(value: float | None, precision: int) -> str:
    """A scoring program's column value with the column's number of decimals."""
    return score_text(value, precision) or "—"


def _visible(slug: str, problem_slug: str) -> Problem:
    problem = leaderboard.board_problem_by_slug(slug, problem_slug)
    problems.check_visible(actor(), problem)
    return problem


def _choice(problem: Problem) -> tuple[str, int | None]:
    """The board and division asked for in the query string."""
    board = request.args.get("board", "public")
    division_id = request.args.get("division", type=int)
    if board not in BOARDS:
        abort(404)
    if division_id is not None and division_id not in _divisions(problem):
        abort(404)
    return board, division_id


def _divisions(problem: Problem) -> dict[int, str]:
    return {d.id: d.name for d in problem.competition.divisions}


def _rows(problem: Problem, board: str, division_id: int | None) -> list[leaderboard.Row]:
    if board == "private":
        leaderboard.require_private(actor(), problem, utcnow())
        return leaderboard.private_board(problem, division_id)
    return leaderboard.public_board(problem, division_id)


@bp.get("/leaderboard")
def show(slug: str, problem_slug: str):
    problem = _visible(slug, problem_slug)
    board, division_id = _choice(problem)
    user, now = actor(), utcnow()
    if board == "private":
        leaderboard.require_private(user, problem, now)
    own = teams.team_of(user, problem.competition)
    divisions = _divisions(problem)
    staff = problems.can_manage(user, problem)
    organizer = policy.is_organizer(user, problem.competition)
    open_now = leaderboard.taking_submissions(problem, now)
    columns = cols.shown(problem.score_columns, staff)
    shown = page.look(problem, board == "private", division_id, divisions, columns)
    asked = request.args.get("page", 1, type=int)
    found = page.read(problem, shown, asked, PAGE_SIZE, own.id if own else None)
    return render_template(
        "leaderboard/show.html",
        problem=problem,
        competition=problem.competition,
        metric=metrics.get(problem.metric),
        columns=columns,
        board=board,
        division_id=division_id,
        divisions=divisions,
        rows=found.rows,
        own_html=found.own_html,
        teams=found.teams,
        page=found.number,
        pages=found.pages,
        own_row=found.own,
        page_of=lambda rank: (rank - 1) // PAGE_SIZE + 1,
        spread=found.spread,
        own_team_id=own.id if own else None,
        can_see_private=leaderboard.can_see_private(user, problem, now),
        revealed=leaderboard.is_revealed(problem, now),
        can_export=staff,
        can_reveal=organizer and not open_now,
        reveal_opens_at=problem.window()[1] if organizer and open_now else None,
    )


@bp.get("/shakeup")
def shakeup_page(slug: str, problem_slug: str):
    """Public rank, private rank and the change of each team; absent before the reveal."""
    problem = _visible(slug, problem_slug)
    if not leaderboard.is_revealed(problem, utcnow()):
        abort(404)
    division_id = request.args.get("division", type=int)
    if division_id is not None and division_id not in _divisions(problem):
        abort(404)
    own = teams.team_of(actor(), problem.competition)
    return render_template("leaderboard/shakeup.html", problem=problem,
                           competition=problem.competition, divisions=_divisions(problem),
                           division_id=division_id, moves=shakeup.moves(problem, division_id),
                           own_team_id=own.id if own else None)  # fmt: skip


@bp.get("/leaderboard.csv")
def download(slug: str, problem_slug: str):
    """A board as CSV for the organizers and the problem's sponsor; cells safe for spreadsheets."""
    problem = _visible(slug, problem_slug)
    if not problems.can_manage(actor(), problem):
        abort(403)
    board, division_id = _choice(problem)
    pieces = export.lines(_rows(problem, board, division_id), _divisions(problem),
                          board == "private", columns_of(problem), problem.ranking_decimals,
                          BOM)  # fmt: skip
    return send_stream(pieces, f"{problem.slug}-{board}-leaderboard.csv")


@bp.route("/leaderboard/reveal", methods=["GET", "POST"])
@login_required
def reveal(slug: str, problem_slug: str):
    """Show the private board to everyone (organizers), once confirmed."""
    problem = _visible(slug, problem_slug)
    if not policy.is_organizer(actor(), problem.competition):
        abort(403)
    back = url_for(".show", slug=slug, problem_slug=problem_slug, board="private")
    if not EmptyForm().validate_on_submit():
        count = leaderboard.reveal_plan(problem)
        lines = [ngettext("The private score and rank of %(num)d team will be shown to "
                          "everyone.", "The private scores and ranks of %(num)d teams will be "
                          "shown to everyone.", count),
                 _("Everyone, logged in or not, sees them at once.")]  # fmt: skip
        return confirm_page(_("Reveal the private leaderboard of %(title)s?", title=problem.title),
                            lines, back, [Choice(_("Reveal private leaderboard"))])  # fmt: skip
    with form_action() as ok:
        leaderboard.reveal(problem, utcnow(), actor())
    if ok():
        flash(_("The private leaderboard is now shown to everyone."), "success")
    return redirect(back)
