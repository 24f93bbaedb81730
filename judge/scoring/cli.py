"""``judge score``: the production validation and scorer, sandboxed, on local files."""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from judge.core.errors import DomainError
from judge.problems import solution as solutions
from judge.problems.models import SplitMethod
from judge.problems.splits import USAGE_COLUMN
from judge.scoring import metrics, runner
from judge.scoring.engine.solution import write_prepared
from judge.scoring.setup import scoring_setup


@click.command("score")
@click.option("--metric", required=True, type=click.Choice(metrics.names()))
@click.option(
    "--solution",
    "solution_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--submission",
    "submission_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--public-fraction",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    help="Split by a salted hash of the id (else the Usage column).",
)
@click.option("--id-column", default="id", show_default=True)
@click.option(
    "--prediction-columns",
    default="",
    help="Comma-separated (default: the solution's answer columns).",
)
@click.option("--salt", default=None, help="Split salt, to reproduce a split (default: random).")
@click.option("--options", default="", help="The metric's settings, e.g. 'k=10' or 'season=7'.")
@with_appcontext
def score(metric: str, solution_path: Path, submission_path: Path,
          public_fraction: float | None, id_column: str, prediction_columns: str,
          salt: str | None, options: str) -> None:  # fmt: skip
    """Score a prediction file as the platform would and print JSON."""
    columns = [c.strip() for c in prediction_columns.split(",") if c.strip()]
    try:
        settings = metrics.check_options(metrics.get(metric), metrics.parse_options(options))
    except ValueError as exc:
        emit({"status": "invalid_options", "message": str(exc)}, code=2)
    method = _split_method(solution_path, public_fraction)
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "solution.parquet"
        try:
            summary = solutions.inspect(
                solution_path, id_column=id_column, prediction_columns=columns,
                split_method=method, public_fraction=public_fraction,
                salt=salt or secrets.token_hex(16),
                stacked=metrics.get(metric).stacked,
            )  # fmt: skip
        except DomainError as exc:
            emit({"status": "invalid_solution", "message": exc.message}, code=2)
        write_prepared(summary.frame, id_column, summary.target_columns, summary.sides, prepared)
        job = {"metric": metric, "options": settings or {}, "id_column": id_column,
               "prediction_columns": summary.prediction_columns,
               "target_columns": summary.target_columns,
               "max_bytes": submission_path.stat().st_size + 1}  # fmt: skip
        verdict = runner.score_file(scoring_setup(), job, submission_path, prepared)
    emit(_payload(verdict), code=0 if verdict.scored else 1)


def _split_method(solution_path: Path, public_fraction: float | None) -> SplitMethod:
    if public_fraction is not None:
        return SplitMethod.FRACTION
    with solution_path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    if USAGE_COLUMN not in [h.strip() for h in header.split(",")]:
        raise click.UsageError("Give --public-fraction, or a solution with a Usage column.")
    return SplitMethod.USAGE_COLUMN


def _payload(verdict: runner.Verdict) -> dict:
    if verdict.scored:
        return {"status": "scored", "public": verdict.public, "private": verdict.private}
    return {"status": verdict.status, "message": verdict.message}


def emit(payload: dict, code: int) -> None:
    """Print ``payload`` as one JSON line and exit with ``code``."""
    click.echo(json.dumps(payload, ensure_ascii=False))
    sys.exit(code)
