"""``judge score-program``: a sponsor's scoring program, sandboxed, on local files."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from judge.core.errors import DomainError
from judge.scoring.cli import emit
from judge.scoring.programs.archive import unpack
from judge.scoring.programs.run import ProgramRun, run_program
from judge.scoring.programs.splits import SIDES, split_reference
from judge.scoring.setup import scoring_setup

_EXISTING = click.Path(exists=True, path_type=Path)


@click.command("score-program")
@click.option(
    "--program",
    "program_path",
    required=True,
    type=_EXISTING,
    help="The scoring program: a folder or zip with metadata.yaml.",
)
@click.option(
    "--reference",
    "reference_path",
    required=True,
    type=_EXISTING,
    help="The hidden reference data (input/ref): a folder, zip or file.",
)
@click.option(
    "--submission",
    "submission_path",
    required=True,
    type=_EXISTING,
    help="A submission (input/res): a folder, zip or file.",
)
@click.option(
    "--split/--no-split",
    default=False,
    help="Score public and private rows apart (by --public-fraction, else the "
    "reference CSV's Usage column).",
)
@click.option("--public-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True))
@click.option("--id-column", default="id", show_default=True)
@click.option("--salt", default=None, help="Split salt, to reproduce a split (default: random).")
@with_appcontext
def score_program(
    program_path: Path,
    reference_path: Path,
    submission_path: Path,
    split: bool,
    public_fraction: float | None,
    id_column: str,
    salt: str | None,
) -> None:
    """Run a Codabench/CodaLab scoring program as the platform would and print JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            program = unpack(program_path, folder / "program", _("scoring program"))
            reference = unpack(reference_path, folder / "ref", _("reference data"))
            submission = unpack(submission_path, folder / "res", _("submission"))
            if split or public_fraction is not None:
                references = split_reference(
                    reference,
                    folder / "sides",
                    id_column,
                    salt or secrets.token_hex(16),
                    public_fraction,
                )
            else:
                references = {"scores": reference}
        except DomainError as exc:
            emit({"status": "invalid_input", "message": exc.message}, code=2)
        runs = {
            side: run_program(scoring_setup(), program, ref, submission)
            for side, ref in references.items()
        }
    emit(*_payload(runs))


def _payload(runs: dict[str, ProgramRun]) -> tuple[dict, int]:
    failed = next((run for run in runs.values() if not run.scored), None)
    if failed is not None:
        return {"status": failed.status, "message": failed.message, "log": failed.log}, 1
    if set(runs) == set(SIDES):
        return {"status": "scored", **{side: runs[side].scores for side in SIDES}}, 0
    return {"status": "scored", "scores": runs["scores"].scores}, 0
