"""/api/v1 leaderboards: public always, private once revealed; CSV exports for staff."""

from __future__ import annotations

from flask_babel import gettext as _

from judge.api import board_json, schemas
from judge.api.access import visible_problem
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import policy
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_stream
from judge.core.errors import NotFound
from judge.leaderboard import export
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.programs import columns_of
from judge.scoring.programs import columns as cols

PREFIX = ""
blp = Blueprint("api_leaderboard", __name__, description="Leaderboards")


@blp.get("/problems/<int:problem_id>/leaderboard")
@blp.arguments(schemas.BoardQuery, location="query")
@blp.response(200, schemas.Board)
def get_board(query: dict, problem_id: int):
    """The public board, or the private one once it may be seen; filter by division."""
    problem = problems.check_visible(actor(), leaderboard.board_problem(problem_id))
    private = query["board"] == "private"
    if private:
        leaderboard.require_private(actor(), problem, utcnow())
    _check_division(problem, query["division_id"])
    shown = cols.shown(problem.score_columns, problems.can_manage(actor(), problem))
    head = {
        "problem_id": problem.id,
        "board": query["board"],
        "metric": problem.metric,
        "higher_is_better": problem.higher_is_better,
        "score_decimals": problem.ranking_decimals,
        "revealed": leaderboard.is_revealed(problem, utcnow()),
        "all_rows": problem.scores_all_rows,
        "columns": [c.as_dict() for c in shown] if problem.score_columns else None,
    }
    # The rows as the Board schema dumps them, written directly and kept per board version.
    return board_json.response(head, problem, private, query["division_id"],
                               {c.key for c in shown})  # fmt: skip


@blp.get("/problems/<int:problem_id>/leaderboard.csv")
@blp.doc(
    security=SECURITY,
    responses={
        "200": {
            "description": "The board as CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
@blp.arguments(schemas.BoardQuery, location="query")
@token_required
def board_csv(query: dict, problem_id: int):
    """Download a board as CSV (organizers and the problem's sponsor)."""
    problem = visible_problem(problem_id)
    allow(problems.can_manage(required_actor(), problem))
    divisions = _check_division(problem, query["division_id"])
    private = query["board"] == "private"
    if private:
        leaderboard.require_private(actor(), problem, utcnow())
    board = leaderboard.private_board if private else leaderboard.public_board
    pieces = export.lines(board(problem, query["division_id"]), divisions, private,
                          columns_of(problem), problem.ranking_decimals)  # fmt: skip
    return send_stream(pieces, f"{problem.slug}-{query['board']}-leaderboard.csv")


def _check_division(problem, division_id: int | None) -> dict[int, str]:
    """The competition's divisions by id; a filter by another is refused (each board asked
    for is kept: made-up divisions would push every reader's boards out)."""
    divisions = {d.id: d.name for d in problem.competition.divisions}
    if division_id is not None and division_id not in divisions:
        raise NotFound(_("No such division in this competition."), field="division_id")
    return divisions


def _organizer_problem(problem_id: int):
    problem = visible_problem(problem_id)
    allow(policy.is_organizer(required_actor(), problem.competition))
    return problem


@blp.post("/problems/<int:problem_id>/reveal")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def reveal(problem_id: int):
    """Reveal the private leaderboard to everyone (organizers); 409 while the problem still
    takes submissions."""
    with unit_of_work():
        problem = leaderboard.reveal(_organizer_problem(problem_id), utcnow(), required_actor())
    return problem
