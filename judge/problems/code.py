"""Switching a problem to code submissions: its hidden test inputs and the code's limits.

Services flush; callers commit. The hidden test inputs are seen only by the sandboxed team
programs (and the problem's managers); the solution never is.
"""

from __future__ import annotations

from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core import storage
from judge.core.errors import Invalid
from judge.problems.models import Problem, SubmissionKind
from judge.problems.modes import can_take_both
from judge.problems.programs import check_program_zip
from judge.problems.services import clean_filename
from judge.scoring.code import limits as code_limits

MAX_VALIDATION_RUNS = 100  # a day, per team


def take_code(problem: Problem, inputs: storage.StagedFile | None, inputs_filename: str,
              limits: dict | None) -> Problem:  # fmt: skip
    """Teams upload code from now on; it runs on ``inputs`` (a file or a zip of files)."""
    checked = code_limits.parse(limits if limits is not None else problem.code_limits)
    code_limits.check_free_failed_runs(problem.failed_daily_limit)
    if inputs is not None:
        problem.hidden_inputs_filename = clean_filename(inputs_filename)
        problem.hidden_inputs_key = storage.put(inputs)
    elif problem.hidden_inputs_key is None:
        raise Invalid(_("Upload the hidden test inputs the teams' code will run on."),
                      field="inputs")  # fmt: skip
    problem.code_limits = checked.as_dict()
    problem.submission_kind = SubmissionKind.CODE
    return problem


def set_ingestion_program(problem: Problem, upload: storage.StagedFile | None,
                          filename: str = "") -> Problem:  # fmt: skip
    """The sponsor's ingestion program (a zip with metadata.yaml) runs each team's code, which
    it finds in $submission_program; None removes it (teams' code runs by its own command)."""
    if upload is None:
        problem.ingestion_program_key = None
        problem.takes_results = False  # results need the ingestion program's problem (below)
        return problem
    check_program_zip(upload.path, filename, "ingestion_program")
    problem.ingestion_program_key = storage.put(upload)
    return problem


def set_validation_inputs(problem: Problem, upload: storage.StagedFile | None, filename: str,
                          daily_limit: int | None, actor: User) -> Problem:  # fmt: skip
    """Public inputs in the hidden inputs' layout (a file or a zip of files) for teams'
    validation runs, whose full output the team sees, and how many runs a team gets a day.

    Audited: whatever is uploaded here becomes visible to the teams."""
    if daily_limit is not None and not 1 <= daily_limit <= MAX_VALIDATION_RUNS:
        raise Invalid(_("Validation runs a day must be between 1 and %(most)d.",
                        most=MAX_VALIDATION_RUNS), field="validation_daily_limit")  # fmt: skip
    if daily_limit is not None:
        problem.validation_daily_limit = daily_limit
    if upload is not None:
        name = clean_filename(filename)
        audit.record(actor, "validation_inputs_set", problem.competition_id, problem.title,
                     {"file": problem.validation_inputs_filename}, {"file": name})  # fmt: skip
        problem.validation_inputs_filename = name
        problem.validation_inputs_key = storage.put(upload)
    return problem


def set_takes_results(problem: Problem, takes: bool) -> Problem:
    """A problem whose teams' code runs by the sponsor's ingestion program and is scored by its
    scoring program may take results too: Codabench's rule tells each upload's kind (a zip
    with metadata.yaml or metadata at its root is code; anything else is results, which the
    scoring program reads directly)."""
    if takes and not can_take_both(problem):
        raise Invalid(_("Only a problem that takes code, runs it with an ingestion program and "
                        "scores it with a scoring program can take results too."),
                      field="takes_results")  # fmt: skip
    problem.takes_results = takes
    return problem


def take_predictions(problem: Problem) -> Problem:
    """Teams upload prediction files again (the hidden inputs are kept)."""
    problem.submission_kind = SubmissionKind.PREDICTIONS
    problem.takes_results = False
    return problem
