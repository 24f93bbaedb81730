"""Finding a problem the caller may see (404 otherwise) or manage (403 otherwise)."""

from __future__ import annotations

from judge.api.auth import actor, allow, required_actor
from judge.problems import services as problems
from judge.problems.models import Problem


def visible_problem(problem_id: int) -> Problem:
    return problems.check_visible(actor(), problems.get_problem(problem_id))


def managed_problem(problem_id: int) -> Problem:
    problem = visible_problem(problem_id)
    allow(problems.can_manage(required_actor(), problem))
    return problem
