"""Attaching a sponsor's scoring program and its leaderboard columns to a problem.

Services flush; callers commit. The program replaces the built-in metric for scoring and
for the direction of the ranking (its primary column's); the metric still says how the
hidden reference CSV is checked at upload.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from flask_babel import gettext as _

from judge.core import storage
from judge.core.errors import Invalid
from judge.problems.models import Problem
from judge.problems.services import clean_filename, extension
from judge.scoring import metrics
from judge.scoring.programs import columns as cols
from judge.scoring.programs.archive import unpack
from judge.scoring.programs.contract import read_command


def attach_program(
    problem: Problem, upload: storage.StagedFile, filename: str, columns: object
) -> Problem:
    """Check the program (a zip with metadata.yaml) and the columns, then keep both."""
    parsed = cols.parse(columns)
    check_program_zip(upload.path, filename, "program")
    problem.scoring_program_key = storage.put(upload)
    problem.score_columns = [c.as_dict() for c in parsed]
    problem.higher_is_better = parsed[0].higher_is_better
    return problem


def detach_program(problem: Problem) -> Problem:
    """Score with the problem's built-in metric again (it reads a solution CSV); the
    program's own time limit goes with it."""
    if problem.solution is not None and problem.solution.is_files:
        raise Invalid(_("The reference data are files that only a scoring program reads; "
                        "upload a solution CSV before scoring with a built-in metric."),
                      field="solution")  # fmt: skip
    problem.scoring_program_key = None
    problem.takes_results = False  # results go to a scoring program only
    problem.score_columns = None
    problem.scoring_wall_seconds = None
    problem.higher_is_better = metrics.get(problem.metric).higher_is_better
    return problem


def columns_of(problem: Problem) -> list[cols.Column]:
    return cols.load(problem.score_columns)


def check_program_zip(path: Path, filename: str, field: str) -> None:
    """A program upload must be a readable zip whose metadata.yaml names a command."""
    if extension(clean_filename(filename)) != ".zip":
        raise Invalid(_("The program must be a .zip file with a metadata.yaml."), field=field)
    if not zipfile.is_zipfile(path):
        raise Invalid(_("The program is not a readable zip file."), field=field)
    with tempfile.TemporaryDirectory(prefix="judge-program-check-") as tmp:
        try:
            read_command(unpack(path, Path(tmp) / "program", _("program")))
        except Invalid as exc:
            raise Invalid(exc.message, field=field) from None
