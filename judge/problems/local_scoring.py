"""What a sponsor or organizer needs to score a file on their own computer exactly as the
platform does: the metric, the columns and the split, with its secret salt.

With the salt and the solution anyone can tell which ids are public, so only the
problem's managers get it, never someone who also competes in the competition, and
every reading is audited (who, when).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core.errors import Conflict, Forbidden
from judge.problems.models import Problem
from judge.problems.services import can_manage
from judge.teams.services import team_of


def scoring_setup(problem: Problem, actor: User) -> dict:
    """The problem's scoring settings with its split salt, for its managers. Forbidden for
    anyone else, and for a manager on a team of the competition; Conflict for a problem
    that a local scorer cannot score (a scoring program or reference files)."""
    if not can_manage(actor, problem):
        raise Forbidden(_("Only the competition's organizers and the problem's sponsor may "
                          "read its split to score files locally."))  # fmt: skip
    if team_of(actor, problem.competition) is not None:
        raise Forbidden(_("You are on a team in this competition, so you may not read the "
                          "split of its problems: it tells which rows are public."))  # fmt: skip
    solution = problem.solution
    if problem.mode.scored_by_program or solution is None or solution.prepared_key is None:
        raise Conflict(_("This problem is scored by its own scoring program, not a built-in "
                         "metric: run the program with `judge score-program`."))  # fmt: skip
    audit.record(actor, "split_salt_read", problem.competition_id, problem.title)
    return _setup(problem)


def _setup(problem: Problem) -> dict:
    return {
        "problem_id": problem.id,
        "metric": problem.metric,
        "options": problem.metric_options or {},
        "higher_is_better": problem.higher_is_better,
        "id_column": problem.id_column,
        "prediction_columns": list(problem.prediction_columns or []),
        "target_columns": list(problem.solution.target_columns or []),
        "split_method": problem.split_method.value,
        "public_fraction": problem.public_fraction,
        "split_salt": problem.split_salt,
        "decimals": problem.score_decimals,
        "max_bytes": int(current_app.config["MAX_SUBMISSION_BYTES"]),
    }
