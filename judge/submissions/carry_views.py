"""The organizer's "carry now" of a series' phase: a confirm page with the counts, then the
carry (judge.submissions.carrying)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm

from judge.competitions.access import organized
from judge.core.db import utcnow
from judge.core.errors import DomainError
from judge.core.web import Choice, actor, chosen, confirm_page, form_action
from judge.leaderboard import services as leaderboard
from judge.problems import series
from judge.problems import services as problems
from judge.problems.models import Carry, Problem
from judge.submissions import carrying
from judge.submissions.carrying import Board

bp = Blueprint("carrying", __name__, url_prefix="/c/<slug>/p/<problem_slug>")


def _target(slug: str, problem_slug: str) -> Problem:
    return problems.get_problem_by_slug(organized(slug), problem_slug)


def _boards(target: Problem, source: Problem) -> list[Board]:
    """The boards the organizer may carry the top N by: the public one only before the
    earlier phase's private board is revealed."""
    if target.carry != Carry.TOP_N or leaderboard.is_revealed(source, utcnow()):
        return [Board.PRIVATE]
    return [Board.PRIVATE, Board.PUBLIC]


def _phase(row: Problem) -> str:
    return _("%(phase)s of %(problem)s", phase=series.phase_label(row), problem=row.title)


def _lines(plan: carrying.Plan) -> list[str]:
    target, n = plan.target, len(plan.entries)
    lines = [ngettext("%(num)d team's entry will be scored on %(phase)s.",
                      "%(num)d teams' entries will be scored on %(phase)s.", n,
                      phase=_phase(target))]  # fmt: skip
    source, n_top = _phase(plan.source), target.carry_top_n
    if plan.board == Board.PRIVATE:
        lines.append(_("The top %(n)d teams of each division on the private leaderboard of "
                       "%(phase)s qualify.", n=n_top, phase=source))  # fmt: skip
    elif plan.board == Board.PUBLIC:
        lines.append(_("The top %(n)d teams of each division on the public leaderboard of "
                       "%(phase)s qualify.", n=n_top, phase=source))  # fmt: skip
    else:
        lines.append(_("Every team with an entry on %(phase)s takes part.", phase=source))
    lines += [_("%(division)s: %(num)d.", division=d, num=c) for d, c in plan.per_division]
    if plan.unfit:
        lines.append(ngettext("%(num)d team's entry is a type of file a task of this phase does "
                              "not take, and is not carried.",
                              "%(num)d teams' entries are a type of file a task of this phase "
                              "does not take, and are not carried.", plan.unfit))  # fmt: skip
    if plan.already:
        lines.append(ngettext("%(num)d team's entry was carried before and is skipped.",
                              "%(num)d teams' entries were carried before and are skipped.",
                              plan.already))  # fmt: skip
    return lines


def _page(target: Problem, boards: list[Board]) -> str:
    now = utcnow()
    plans = [carrying.plan(target, board, now) for board in boards]
    lines = [line for p in plans for line in _lines(p)]
    lines.append(
        _(
            "Each team's entry is its final selection, or else its best submission; the "
            "copies use none of the teams' submissions, and the teams are told."
        )
    )
    if Board.PUBLIC in boards:
        lines.append(_("The private leaderboard of %(phase)s is not revealed yet: carrying by it "
                       "tells the teams whether they are in its top %(n)d.",
                       phase=_phase(plans[0].source), n=target.carry_top_n))  # fmt: skip
    labels = {Board.PRIVATE: _("Carry by the private leaderboard"),
              Board.PUBLIC: _("Carry by the public leaderboard")}  # fmt: skip
    choices = [Choice(labels[b], b.value) if target.carry == Carry.TOP_N
               else Choice(_("Carry the entries now"), b.value) for b in boards]  # fmt: skip
    back = url_for("problems.manage", slug=target.competition.slug, problem_slug=target.slug)
    return confirm_page(_("Carry the entries to %(phase)s?", phase=_phase(target)), lines, back,
                        choices)  # fmt: skip


@bp.route("/carry", methods=["GET", "POST"])
@login_required
def carry(slug: str, problem_slug: str):
    target = _target(slug, problem_slug)
    back = redirect(url_for("problems.manage", slug=slug, problem_slug=problem_slug))
    try:
        boards = _boards(target, carrying.earlier_phase(target))
    except DomainError as exc:
        flash(exc.message, "error")
        return back
    if not FlaskForm().validate_on_submit():
        return _page(target, boards)
    board = chosen([Choice("", b.value) for b in boards])
    if board is None:
        abort(400)
    with form_action() as ok:
        done = carrying.carry(target, actor(), utcnow(), Board(board))
    if ok():
        flash(ngettext("%(num)d team's entry was carried to %(phase)s.",
                       "%(num)d teams' entries were carried to %(phase)s.", len(done.entries),
                       phase=_phase(target)), "info")  # fmt: skip
    return back
