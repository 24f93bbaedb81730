"""Both steps for one code submission: run the team's program, score what it wrote."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.scoring import runner
from judge.scoring.code.limits import CodeLimits
from judge.scoring.code.run import run_team_code
from judge.scoring.programs.archive import Caps, check_name, unpack
from judge.scoring.programs.scoring import ProgramProblem, score_folder_with_program
from judge.scoring.runner import ScoringSetup, Verdict

PREDICTIONS = "predictions.csv"


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
        try:
            code = unpack(code_zip, folder / "code", _("code submission"), Caps(max_bytes))
        except Invalid as exc:
            return Verdict("invalid", message=exc.message, log=exc.message)
        inputs = _hidden_inputs(problem, folder / "inputs")
        ingestion = (unpack(problem.ingestion_program, folder / "ingestion", _("ingestion program"))
                     if problem.ingestion_program else None)  # fmt: skip
        run = run_team_code(setup, code, inputs, problem.limits, ingestion)
        if run.status != "ok":
            return Verdict(run.status, message=run.message, log=run.log)
        res = _write_outputs(run.outputs, folder / "res")
        scored = _score_outputs(setup, problem, res)
    return Verdict(scored.status, scored.public, scored.private, scored.message,
                   f"=== team program ===\n{run.log}\n=== scoring ===\n{scored.log}",
                   scored.details)  # fmt: skip


def _hidden_inputs(problem: CodeProblem, target: Path) -> Path:
    if problem.hidden_inputs_name.lower().endswith(".zip"):
        return unpack(problem.hidden_inputs, target, _("hidden test inputs"))
    target.mkdir()
    (target / problem.hidden_inputs_name).write_bytes(problem.hidden_inputs.read_bytes())
    return target


def _write_outputs(outputs: dict[str, bytes], target: Path) -> Path:
    target.mkdir()
    for name, content in outputs.items():
        path = target / check_name(name, _("output"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target


def _score_outputs(setup: ScoringSetup, problem: CodeProblem, res: Path) -> Verdict:
    if problem.program is not None:
        return score_folder_with_program(setup, problem.program, res)
    predictions = _predictions_file(res)
    if predictions is None:
        message = _("Your program wrote no %(name)s (or exactly one CSV file) to $output.",
                    name=PREDICTIONS)  # fmt: skip
        return Verdict("invalid", message=message, log=message)
    return runner.score_file(setup, problem.metric_job, predictions, problem.prepared_solution)


def _predictions_file(res: Path) -> Path | None:
    if (res / PREDICTIONS).is_file():
        return res / PREDICTIONS
    tables = [p for p in res.rglob("*.csv") if p.is_file()]
    return tables[0] if len(tables) == 1 else None
