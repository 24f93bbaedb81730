"""A built-in metric written as a Codabench scoring program, for the export.

Codabench's unpacker refuses a task without a scoring program, and its images have Python
with numpy, pandas and scikit-learn but not judge. For the metrics :data:`COVERED` (one
target column, one prediction column) the export writes ``metric_scorer/score.py`` (a
standalone program scoring as judge's engine does), its ``metadata.yaml`` and the problem's
settings (metric, columns, the split and its secret salt: the bundle holds the solution
anyway). Other metrics get no program: the export says so, and only judge's import reads it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from flask_babel import gettext as _

from judge.problems.models import Problem

SCORER = Path(__file__).parent / "metric_scorer" / "score.py"
FOLDER = "scoring_program"
COMMAND = "command: python3 $program/score.py $input $output\n"
COVERED = ("accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted", "mcc",
           "rmse", "mae", "mape", "r2", "rmsle")  # fmt: skip
PRIVATE_TITLE = "Private"


def written_for(problem: Problem) -> bool:
    """Whether the export writes a program for the problem's built-in metric."""
    if problem.mode.scored_by_program or problem.mode.accepts_code or problem.solution is None:
        return False
    return (problem.metric in COVERED and not problem.metric_options
            and len(problem.prediction_columns or []) == 1
            and len(problem.solution.target_columns or []) == 1)  # fmt: skip


def refusal(problem: Problem) -> str | None:
    """Why a problem scored by a built-in metric exports without a scoring program (None: it
    has one, its sponsor's or a written one)."""
    if problem.mode.scored_by_program or written_for(problem):
        return None
    return _("The metric %(metric)s (or its settings) has no scoring program Codabench can "
             "run: Codabench's unpacker refuses this bundle; judge's import reads it. A program "
             "is written for %(covered)s with one target and one prediction column.",
             metric=problem.metric, covered=", ".join(COVERED))  # fmt: skip


def write(problem: Problem, bundle: zipfile.ZipFile, prefix: str = "") -> None:
    """The program, its metadata.yaml and its settings under ``scoring_program/`` (in the
    folder ``prefix`` of a series' task)."""
    bundle.write(SCORER, f"{prefix}{FOLDER}/score.py")
    bundle.writestr(f"{prefix}{FOLDER}/metadata.yaml", COMMAND)
    bundle.writestr(f"{prefix}{FOLDER}/settings.json", json.dumps(_settings(problem), indent=2))


def _settings(problem: Problem) -> dict:
    solution = problem.solution
    return {
        "metric": problem.metric,
        "solution": solution.filename,
        "id_column": problem.id_column,
        "target_column": solution.target_columns[0],
        "prediction_column": problem.prediction_columns[0],
        "split_method": problem.split_method.value,
        "split_salt": problem.split_salt,
        "public_fraction": problem.public_fraction,
    }


def columns(problem: Problem) -> list[dict]:
    """The public score ranks; the private one is a hidden column."""
    sorting = "desc" if problem.higher_is_better else "asc"
    shared = {"precision": problem.score_decimals, "sorting": sorting}
    return [
        {"title": problem.metric[:36], "key": "public", "index": 0, **shared},
        {"title": PRIVATE_TITLE, "key": "private", "index": 1, "hidden": True, **shared},
    ]
