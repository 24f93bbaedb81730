"""A leaderboard as the API's JSON, written without a schema dump per row.

Each row holds exactly what ``schemas.BoardRow`` documents and would dump; a whole board
of 10,000 teams is 10,000 nested dumps otherwise, most of the answer's time
(``benchmarks/leaderboard_api.py``). The rows' text is kept per board version
(``leaderboard.kept``), as UTF-8 bytes; only the head is written per request.
"""

from __future__ import annotations

import json

from flask import Response, current_app

from judge.client.scores import score_text
from judge.leaderboard import services as leaderboard
from judge.leaderboard.services import Row
from judge.problems.models import Problem


def response(head: dict, problem: Problem, private: bool, division_id: int | None,
             keys: set[str]) -> Response:  # fmt: skip
    """``head`` with the board's rows; ``keys`` are the scoring program's columns the reader
    sees. The caller has checked that the reader may see the board, and changed nothing
    before (the version is the one loaded with the problem)."""
    decimals, score_decimals = problem.ranking_decimals, problem.score_decimals
    board = leaderboard.private_board if private else leaderboard.public_board
    version = leaderboard.loaded_version(problem)
    # A built-in metric's details (AP per class) are a submission's, never a board's.
    shown = keys if problem.score_columns else None

    def build() -> bytes:
        found = board(problem, division_id, version)
        rows = [_row(row, shown, decimals, score_decimals) for row in found]
        return _dumps(rows).encode()

    what = ("json", private, division_id, shown and tuple(sorted(shown)), decimals,
            score_decimals)  # fmt: skip
    rows = leaderboard.kept(problem, what, build, version=version)
    # Three pieces, not one joined copy: a board of 10,000 teams is ~3 MB of JSON.
    body = [_dumps(head)[:-1].encode() + b',"rows":', rows, b"}"]
    return current_app.response_class(body, mimetype="application/json")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(row: Row, keys: set[str] | None, decimals: int, score_decimals: int) -> dict:
    """The row without hidden columns (``keys``: those shown; None: no program, no details),
    with its scores as the page shows them."""
    details = row.details
    if details is not None:
        details = None if keys is None else {k: v for k, v in details.items() if k in keys}
    at = row.submitted_at
    return {
        "rank": row.rank,
        "team_id": row.team_id,
        "team": row.team,
        "division_id": row.division_id,
        "score": row.score,
        "score_display": score_text(row.score, decimals),
        "entries": row.entries,
        "submitted_at": at.isoformat() if at is not None else None,
        "public_score": row.public_score,
        "private_score": row.private_score,
        "public_score_display": score_text(row.public_score, score_decimals),
        "private_score_display": score_text(row.private_score, score_decimals),
        "auto_selected": row.auto_selected,
        "details": details,
    }
