"""Both steps for one code submission: run the team's program, score what it wrote.

Whatever the program wrote, printed or chose may be the hidden inputs it read. The team
learns only the outcome: scored, the limit it hit (with the limit's value), that it failed,
or that what it wrote did not pass the checks. Its exit status, and the scorer's messages
about what it wrote — which name lines, columns and counts the program controls (an outside
probe wrote 66,051 unknown ids to spell two hidden ages) — go to the organizers' log; the
team sees the details in a validation run on public inputs.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.core.i18n import N_
from judge.scoring import runner
from judge.scoring.code.limits import CodeLimits
from judge.scoring.code.run import CodeRun, run_team_code
from judge.scoring.programs.archive import Caps, check_name, unpack
from judge.scoring.programs.scoring import ProgramProblem, score_folder_with_program
from judge.scoring.runner import ScoringSetup, Verdict

PREDICTIONS = "predictions.csv"
UNSAFE_NAME = N_("Your program wrote a file whose name is not allowed; use relative names "
                 "without “..”.")  # fmt: skip
NO_PREDICTIONS = N_("The ingestion program exited with status 0 but wrote no predictions to "
                    "$output.")  # fmt: skip
CRASHED = N_(
    "Your program failed: it did not exit with status 0. On the hidden inputs its "
    "exit status is shown to the organizers only; a validation run shows it."
)
WITHHELD = N_(
    "What your program wrote did not pass the checks of a submission. On the hidden "
    "inputs the details are shown to the organizers only (the lines and counts they "
    "name could carry what your program read); a validation run on the public "
    "inputs shows them."
)


@dataclass(frozen=True)
class CodeProblem:
    hidden_inputs: Path  # a zip of the test inputs, or one file
    hidden_inputs_name: str
    limits: CodeLimits
    program: ProgramProblem | None = None  # the sponsor's scorer, else the built-in metric:
    metric_job: dict | None = None  # the engine's job
    prepared_solution: Path | None = None
    ingestion_program: Path | None = None  # the sponsor's, as a zip: it runs the team's code


def score_code(setup: ScoringSetup, problem: CodeProblem, code_zip: Path,
               max_bytes: int) -> Verdict:  # fmt: skip
    """Run the team's zip on the hidden inputs, then score its output as a submission."""
    with tempfile.TemporaryDirectory(prefix="judge-code-") as tmp:
        folder = Path(tmp)
        inputs = (problem.hidden_inputs, problem.hidden_inputs_name, _("hidden test inputs"))
        run = run_code(setup, folder, code_zip, max_bytes, inputs, problem.limits,
                       problem.ingestion_program)  # fmt: skip
        if run.status != "ok":
            message = _(CRASHED) if run.crashed else run.message
            return Verdict(run.status, message=message, log=f"{run.message}\n{run.log}")
        if problem.ingestion_program is not None and not run.outputs:
            return runner.organizer_failure(f"{_(NO_PREDICTIONS)}\n{run.log}")
        res = write_outputs(run.outputs, folder / "res")
        if res is None:
            return Verdict("invalid", message=_(UNSAFE_NAME), log=run.log)
        scored = _score_outputs(setup, problem, res)
    return Verdict(scored.status, scored.public, scored.private, scored.message,
                   f"=== team program ===\n{run.log}\n=== scoring ===\n{scored.log}",
                   scored.details)  # fmt: skip


def outcome_only(verdict: Verdict) -> Verdict:
    """A verdict on what the program wrote from hidden inputs, told to the team as its
    outcome only; the organizers' log keeps the scorer's message."""
    if verdict.status in ("scored", "error"):
        return verdict
    return replace(verdict, message=_(WITHHELD), log=f"{verdict.message}\n{verdict.log}")


def run_code(setup: ScoringSetup, folder: Path, code_zip: Path, max_bytes: int,
             inputs: tuple[Path, str, str], limits: CodeLimits,
             ingestion_program: Path | None) -> CodeRun:  # fmt: skip
    """Unpack the team's zip, the ``inputs`` (a zip or one file, its name, what it is called
    in messages) and any ingestion program under ``folder``, and run the team's code."""
    try:
        code = unpack(code_zip, folder / "code", _("code submission"), Caps(max_bytes))
    except Invalid as exc:
        return CodeRun("invalid", message=exc.message, log=exc.message)
    unpacked = _inputs(*inputs, folder / "inputs")
    ingestion = (unpack(ingestion_program, folder / "ingestion", _("ingestion program"))
                 if ingestion_program else None)  # fmt: skip
    return run_team_code(setup, code, unpacked, limits, ingestion)


def _inputs(source: Path, name: str, what: str, target: Path) -> Path:
    if name.lower().endswith(".zip"):
        return unpack(source, target, what)
    target.mkdir()
    (target / name).write_bytes(source.read_bytes())
    return target


def write_outputs(outputs: dict[str, bytes], target: Path) -> Path | None:
    """The program's output files under ``target``; None if it named one unsafely (the name
    itself is not repeated: it may carry what the program read)."""
    target.mkdir()
    for name, content in outputs.items():
        try:
            path = target / check_name(name, _("output"))
        except Invalid:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target


def _score_outputs(setup: ScoringSetup, problem: CodeProblem, res: Path) -> Verdict:
    if problem.program is not None:
        return outcome_only(score_folder_with_program(setup, problem.program, res))
    predictions = predictions_file(res)
    if predictions is None:
        return no_predictions()
    job = {**(problem.metric_job or {}), "quote_values": False}
    return outcome_only(runner.score_file(setup, job, predictions, problem.prepared_solution))


def no_predictions() -> Verdict:
    message = _("Your program wrote no %(name)s (or exactly one CSV file) to $output.",
                name=PREDICTIONS)  # fmt: skip
    return Verdict("invalid", message=message, log=message)


def predictions_file(res: Path) -> Path | None:
    if (res / PREDICTIONS).is_file():
        return res / PREDICTIONS
    tables = [p for p in res.rglob("*.csv") if p.is_file()]
    return tables[0] if len(tables) == 1 else None
