"""A validation run: a team's code zip, run exactly as on the hidden inputs (same sandbox,
same limits, same ingestion program) but on the problem's public validation inputs, and
never scored. Nothing hidden is in its sandbox, so the team sees all of it: what the program
printed, its run time, the files it wrote, and whether its predictions.csv passes the format
check (with the file's values quoted).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from judge.scoring import runner
from judge.scoring.code.limits import CodeLimits
from judge.scoring.code.scoring import (
    UNSAFE_NAME,
    no_predictions,
    predictions_file,
    run_code,
    write_outputs,
)
from judge.scoring.runner import ScoringSetup, Verdict


@dataclass(frozen=True)
class ValidationProblem:
    inputs: Path  # the public validation inputs: a zip, or one file
    inputs_name: str
    limits: CodeLimits
    metric_job: dict | None  # the engine's job; None when a sponsor's program scores
    ingestion_program: Path | None = None


def run_validation(setup: ScoringSetup, problem: ValidationProblem, code_zip: Path,
                   max_bytes: int) -> Verdict:  # fmt: skip
    """Run the team's zip on the validation inputs: "passed", or why not; ``output`` holds
    everything for the team."""
    with tempfile.TemporaryDirectory(prefix="judge-validation-") as tmp:
        folder = Path(tmp)
        inputs = (problem.inputs, problem.inputs_name, _("validation inputs"))
        run = run_code(setup, folder, code_zip, max_bytes, inputs, problem.limits,
                       problem.ingestion_program)  # fmt: skip
        output = run.log + _listing(run.outputs)
        if run.status != "ok":
            return Verdict(run.status, message=run.message, log=run.log, output=output)
        res = write_outputs(run.outputs, folder / "res")
        checked = _check(setup, problem, res)
    return Verdict(checked.status, message=checked.message, log=f"{output}\n{checked.log}",
                   output=output, reason=checked.reason)  # fmt: skip


def _listing(outputs: dict[str, bytes]) -> str:
    files = "".join(f"{name}  {len(content):,} B\n" for name, content in sorted(outputs.items()))
    return f"\n--- $output ---\n{files}"


def _check(setup: ScoringSetup, problem: ValidationProblem, res: Path | None) -> Verdict:
    if res is None:
        return Verdict("invalid", message=_(UNSAFE_NAME))
    if problem.metric_job is None:
        message = _("Your program ran. This problem's scoring program reads its output only in "
                    "a real submission.")  # fmt: skip
        return Verdict("passed", message=message)
    predictions = predictions_file(res)
    if predictions is None:
        return no_predictions()
    checked = runner.check_file(setup, problem.metric_job, predictions)
    if checked.status == "valid":
        return Verdict("passed", log=checked.log,
                       message=_("Your program ran, and its predictions.csv passes the format "
                                 "check."))  # fmt: skip
    return checked
