"""/api/v1 leaderboards: public always, private once revealed; CSV exports for staff."""

from __future__ import annotations

from dataclasses import asdict

from judge.api import schemas
from judge.api.access import visible_problem
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.client.scores import score_text
from judge.competitions import policy
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import send_text
from judge.leaderboard import export
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.problems.programs import columns_of
from judge.scoring.programs import columns as cols

PREFIX = ""
blp = Blueprint("api_leaderboard", __name__, description="Leaderboards")


def rows_for(problem, query: dict):
    if query["board"] == "private":
        leaderboard.require_private(actor(), problem, utcnow())
        return leaderboard.private_board(problem, query["division_id"])
    return leaderboard.public_board(problem, query["division_id"])


@blp.get("/problems/<int:problem_id>/leaderboard")
@blp.arguments(schemas.BoardQuery, location="query")
@blp.response(200, schemas.Board)
def get_board(query: dict, problem_id: int):
    """The public board, or the private one once it may be seen; filter by division."""
    problem = visible_problem(problem_id)
    shown = cols.shown(problem.score_columns, problems.can_manage(actor(), problem))
    return {
        "problem_id": problem.id,
        "board": query["board"],
        "metric": problem.metric,
        "higher_is_better": problem.higher_is_better,
        "score_decimals": problem.ranking_decimals,
        "revealed": leaderboard.is_revealed(problem, utcnow()),
        "columns": [c.as_dict() for c in shown] if problem.score_columns else None,
        "rows": [_row(row, shown, problem) for row in rows_for(problem, query)],
    }


def _row(row: leaderboard.Row, shown: list[cols.Column], problem: Problem) -> dict:
    """The row without hidden columns, with its scores as the page shows them."""
    keys = {c.key for c in shown}
    details = {k: v for k, v in (row.details or {}).items() if k in keys}
    return asdict(row) | {
        "details": details if row.details is not None and problem.score_columns else None,
        "score_display": score_text(row.score, problem.ranking_decimals),
        "public_score_display": score_text(row.public_score, problem.score_decimals),
        "private_score_display": score_text(row.private_score, problem.score_decimals),
    }


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
    divisions = {d.id: d.name for d in problem.competition.divisions}
    body = export.to_csv(rows_for(problem, query), divisions, query["board"] == "private",
                         columns_of(problem), problem.ranking_decimals)  # fmt: skip
    name = f"{problem.slug}-{query['board']}-leaderboard.csv"
    return send_text(body, name)


def _organizer_problem(problem_id: int):
    problem = visible_problem(problem_id)
    allow(policy.is_organizer(required_actor(), problem.competition))
    return problem


@blp.post("/problems/<int:problem_id>/reveal")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.ManagedProblem)
@token_required
def reveal(problem_id: int):
    """Reveal the private leaderboard to everyone (organizers)."""
    with unit_of_work():
        problem = leaderboard.reveal(_organizer_problem(problem_id), utcnow(), required_actor())
    return problem
