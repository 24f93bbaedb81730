"""Score one submission with its problem's scoring program: one sandboxed run per split.

The worker calls :func:`score_with_program`; the answer is the same :class:`Verdict` the
built-in metrics give, plus every column's value per split in ``details``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.scoring.programs import columns as cols
from judge.scoring.programs.archive import Caps, unpack
from judge.scoring.programs.run import ProgramRun, own_limits, run_program
from judge.scoring.programs.splits import SIDES, split_reference
from judge.scoring.runner import FAILED_ON_OUR_SIDE, ScoringSetup, Verdict, organizer_failure


@dataclass(frozen=True)
class ProgramProblem:
    """What the worker knows about a program-scored problem (files are host paths)."""

    program: Path  # the program as uploaded: a zip
    reference: Path  # the hidden reference CSV, or a zip of reference files
    reference_name: str  # its file name as the program expects it
    id_column: str
    salt: str
    public_fraction: float | None  # None: the reference's Usage column splits
    columns: list[cols.Column]
    # The reference is a zip of files and folders, given whole as $input/ref: one run
    # scores both sides (no id column to split on).
    reference_files: bool = False
    wall_seconds: int | None = None  # the program's own wall-clock limit; None: the operator's
    # The split "all": the reference CSV is given whole, and one run scores both sides.
    all_rows: bool = False


# Reference data as files is as large as a bundle may hold (judge.bundles.parts).
REFERENCE_CAPS = Caps(max_bytes=4 * 1024**3, max_files=50_000)


def score_with_program(
    setup: ScoringSetup,
    problem: ProgramProblem,
    submission: Path,
    submission_name: str,
    max_bytes: int,
) -> Verdict:
    """Run the program on an uploaded submission for each split; read the columns' values."""
    with tempfile.TemporaryDirectory(prefix="judge-submission-") as tmp:
        try:
            res = _submission_folder(submission, submission_name, Path(tmp) / "res", max_bytes)
        except Invalid as exc:
            return Verdict("invalid", message=exc.message, log=exc.message)
        return score_folder_with_program(setup, problem, res)


def score_folder_with_program(setup: ScoringSetup, problem: ProgramProblem,
                              res: Path) -> Verdict:  # fmt: skip
    """Run the program on the files in ``res`` for each split; read the columns' values. A
    report that cannot be read fails on the organizer's side, never quoted to the team."""
    with tempfile.TemporaryDirectory(prefix="judge-program-") as tmp:
        folder = Path(tmp)
        try:
            program = unpack(problem.program, folder / "program", _("scoring program"))
            sides = _reference_sides(problem, folder)
        except Invalid as exc:
            return Verdict("error", message=FAILED_ON_OUR_SIDE, log=exc.message)
        by_folder: dict[Path, ProgramRun] = {}
        limits = own_limits(setup, problem.wall_seconds)
        for reference in sides.values():
            if reference not in by_folder:
                by_folder[reference] = run_program(setup, program, reference, res, limits)
    return verdict({side: by_folder[sides[side]] for side in SIDES}, problem.columns)


def _reference_sides(problem: ProgramProblem, folder: Path) -> dict[str, Path]:
    """The $input/ref folder of each side: the whole reference data for both, or a copy
    of it per side whose CSV keeps that side's rows."""
    if problem.reference_files:
        whole = unpack(problem.reference, folder / "ref", _("reference data"), REFERENCE_CAPS)
        return dict.fromkeys(SIDES, whole)
    reference = folder / "ref"
    reference.mkdir()
    shutil.copyfile(problem.reference, reference / problem.reference_name)
    if problem.all_rows:
        return dict.fromkeys(SIDES, reference)
    return split_reference(reference, folder / "sides", problem.id_column, problem.salt,
                           problem.public_fraction)  # fmt: skip


def _submission_folder(submission: Path, name: str, target: Path, max_bytes: int) -> Path:
    """input/res: the files of a zip (unpacked with caps), else the one file by its name."""
    if name.lower().endswith(".zip"):
        return unpack(submission, target, _("submission"), Caps(max_bytes=max_bytes))
    target.mkdir()
    shutil.copyfile(submission, target / (Path(name).name or "submission"))
    return target


def verdict(runs: dict[str, ProgramRun], columns: list[cols.Column]) -> Verdict:
    """Both splits' runs as one verdict: a failed run or a missing primary fails it all."""
    logs = (f"=== public and private: one run on all the reference data ===\n"
            f"{runs['public'].log}" if runs["public"] is runs["private"] else
            "\n".join(f"=== {side} ===\n{run.log}" for side, run in runs.items()))  # fmt: skip
    failed = next((run for run in runs.values() if not run.scored), None)
    if failed is not None and failed.status == "organizer":
        return organizer_failure(logs)
    if failed is not None:
        status = "limit" if failed.status == "limit" else "invalid"
        return Verdict(status, message=failed.message, log=logs)
    picked = {side: cols.pick(runs[side].scores, columns) for side in SIDES}
    missing = sorted({c.key for c in columns for side in SIDES if c.key not in picked[side].values})
    if missing:  # a computed column is missing where one of its inputs is, or too large
        text = _("The scoring program exited with status 0 without a score for the leaderboard "
                 "columns: %(keys)s.", keys=", ".join(missing))  # fmt: skip
        return organizer_failure(f"{logs}\n{text}{_too_large(picked, columns)}")
    return Verdict(
        "scored",
        picked["public"].primary,
        picked["private"].primary,
        log=logs + _notes(runs, picked, columns),
        details={side: picked[side].values for side in SIDES},
    )


def _too_large(picked: dict[str, cols.Picked], columns: list[cols.Column]) -> str:
    """Computed columns absent although the program reported their inputs: their value is
    past the largest float."""
    found = [c for c in columns if c.computation and any(
        c.key not in picked[side].values and all(k in picked[side].values for k in c.inputs)
        for side in SIDES)]  # fmt: skip
    return "".join("\n" + _("%(key)s: too large to compute from %(keys)s.", key=c.key,
                             keys=", ".join(c.inputs)) for c in found)  # fmt: skip


def _notes(runs: dict[str, ProgramRun], picked: dict[str, cols.Picked],
           columns: list[cols.Column]) -> str:  # fmt: skip
    """For the organizers' log: reported keys that no column shows, and computed columns the
    program wrote itself (the platform's value is kept, as in Codabench)."""
    notes = ""
    unknown = sorted({key for side in SIDES for key in picked[side].unknown})
    if unknown:
        notes += "\n" + _("Reported but not on the leaderboard (add columns to show them): "
                          "%(keys)s", keys=", ".join(unknown))  # fmt: skip
    computed = sorted({c.key for c in columns if c.computation for side in SIDES
                       if c.key in runs[side].scores})  # fmt: skip
    if computed:
        notes += "\n" + _("Reported for computed columns, whose values the platform computes "
                          "(the reported values are not used): %(keys)s",
                          keys=", ".join(computed))  # fmt: skip
    return notes
