"""Which problems a judge judges: the assigned ones, or every one without an assignment.

Apart from judging so that the leaderboard (which finals builds on) can ask it too: an
assigned judge reads the private boards of those problems only.
"""

from __future__ import annotations

import sqlalchemy as sa

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.extensions import db
from judge.finals.models import ProblemJudge
from judge.problems.models import Problem


def assigned_problem_ids(judge: User, competition: Competition) -> set[int]:
    """The problems the judge is assigned to (empty: every problem)."""
    query = (
        sa.select(ProblemJudge.problem_id)
        .join(Problem, Problem.id == ProblemJudge.problem_id)
        .where(ProblemJudge.user_id == judge.id, Problem.competition_id == competition.id)
    )
    return set(db.session.scalars(query))


def judges_problem(judge: User, problem: Problem) -> bool:
    assigned = assigned_problem_ids(judge, problem.competition)
    return not assigned or problem.id in assigned
