"""The shake-up: how each team moved from the public board to the private one (Kaggle, DACON).

It shows private ranks, so it exists only once the private board is revealed to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from judge.leaderboard.services import private_board, public_board
from judge.problems.models import Problem


@dataclass(frozen=True)
class Move:
    team_id: int
    team: str
    private_rank: int
    public_rank: int | None  # None: the team has no public score ("new")

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost (negative); None for a team new on the board."""
        return None if self.public_rank is None else self.public_rank - self.private_rank


def moves(problem: Problem, division_id: int | None = None) -> list[Move]:
    """Every team of the private board (of ``division_id``, else all) in private order."""
    public = {row.team_id: row.rank for row in public_board(problem, division_id)}
    return [Move(row.team_id, row.team, row.rank, public.get(row.team_id))
            for row in private_board(problem, division_id)]  # fmt: skip
