"""``judge score``: a prediction file scored against a solution on this computer.

With ``--problem``, as that problem's leaderboard scores it (the client's command, see
judge.client.local). Without, with the metric and split given here, by the production
validation and scorer in the sandbox; the split by id is keyed with ``--salt`` (default
DEFAULT_SALT), so the same files always give the same scores.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from judge import create_settings_app
from judge.client import refs
from judge.core.cli import as_program
from judge.core.errors import DomainError
from judge.scoring import metrics, runner
from judge.scoring.engine.splits import USAGE_COLUMN, SplitMethod
from judge.scoring.setup import scoring_setup

if TYPE_CHECKING:
    from judge.problems.solution import SolutionSummary

DEFAULT_SALT = "judge"


@click.command("score")
@click.argument("solution_path", metavar="SOLUTION", type=refs.FILE)
@click.argument("submission_path", metavar="SUBMISSION", type=refs.FILE)
@click.option("--problem", type=refs.PROBLEM, help="Score as this problem's leaderboard does.")
@click.option("--json", "as_json", is_flag=True, help="With --problem: print JSON (else always).")
@click.option("--metric", type=click.Choice(metrics.names()), help="Without --problem: the metric.")
@click.option(
    "--public-fraction",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    help="Split by a salted hash of the id (else the Usage column).",
)
@click.option(
    "--all-rows",
    is_flag=True,
    help="Score every row on both boards (the split 'all': private equals public).",
)
@click.option("--id-column", default="id", show_default=True)
@click.option(
    "--prediction-columns",
    default="",
    help="Comma-separated (default: the solution's answer columns).",
)
@click.option("--salt", default=DEFAULT_SALT, show_default=True,
              help="The key of the split by id: the same salt, the same public rows.")  # fmt: skip
@click.option("--options", default="", help="The metric's settings, e.g. 'k=10' or 'season=7'.")
@click.pass_context
def score(ctx: click.Context, solution_path: Path, submission_path: Path, problem: str | None,
          as_json: bool, metric: str | None, **settings) -> None:  # fmt: skip
    """Score SUBMISSION against SOLUTION: with --problem exactly as its leaderboard does,
    else with --metric (sandboxed; JSON with the salt and public fraction used)."""
    if problem:
        from judge.client import local  # the HTTP client: only to fetch the problem's setup

        ctx.invoke(local.score, problem=problem, solution=solution_path,
                   submission=submission_path, as_json=as_json)  # fmt: skip
        return
    if metric is None:
        raise click.UsageError("Give --problem, or --metric with the split to use.")
    with create_settings_app().app_context():
        offline(metric, solution_path, submission_path, **settings)


def offline(metric: str, solution_path: Path, submission_path: Path, *,
            public_fraction: float | None, id_column: str, prediction_columns: str,
            salt: str, options: str, all_rows: bool = False) -> None:  # fmt: skip
    """Score with the given metric and split in the sandbox and print JSON."""
    columns = [c.strip() for c in prediction_columns.split(",") if c.strip()]
    try:
        settings = metrics.check_options(metrics.get(metric), metrics.parse_options(options))
    except ValueError as exc:
        emit({"status": "invalid_options", "message": str(exc)}, code=2)
    method = _split_method(solution_path, public_fraction, all_rows)
    # One file: a fresh sandbox (no warm parent to fork from), started now so that it loads
    # its libraries while this process checks and splits the solution.
    setup = replace(scoring_setup(), warm=False)
    runner.prewarm(setup)
    # pandas and pyarrow (about 0.4 s) only now, while the sandbox imports its own
    from judge.problems import solution as solutions
    from judge.scoring.engine.solution import write_prepared

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "solution.parquet"
        try:
            summary = solutions.inspect(
                solution_path, id_column=id_column, prediction_columns=columns,
                split_method=method, public_fraction=public_fraction, salt=salt,
                stacked=metrics.get(metric).stacked,
            )  # fmt: skip
        except DomainError as exc:
            emit({"status": "invalid_solution", "message": exc.message}, code=2)
        write_prepared(summary.frame, id_column, summary.target_columns, summary.sides, prepared,
                       order=summary.id_order)  # fmt: skip
        job = {"metric": metric, "options": settings or {}, "id_column": id_column,
               "prediction_columns": summary.prediction_columns,
               "target_columns": summary.target_columns,
               "max_bytes": submission_path.stat().st_size + 1}  # fmt: skip
        verdict = runner.score_file(setup, job, submission_path, prepared)
    click.echo(
        json.dumps(
            {**_payload(verdict), "split": _split(method, salt, public_fraction, summary)},
            ensure_ascii=False,
        )
    )
    _leave(0 if verdict.scored else 1)


def _split(method: SplitMethod, salt: str, fraction: float | None,
           summary: SolutionSummary) -> dict:  # fmt: skip
    """How the rows were split: the method, the salt and public fraction of a split by id
    (the Usage column's public share otherwise), and the rows on each side."""
    share = summary.public_rows / (summary.public_rows + summary.private_rows)
    keyed = (
        {"salt": salt, "public_fraction": fraction}
        if fraction
        else {"public_fraction": None if method == SplitMethod.ALL else round(share, 6)}
    )
    return {"method": method.value, **keyed, "public_rows": summary.public_rows,
            "private_rows": summary.private_rows}  # fmt: skip


def _split_method(solution_path: Path, public_fraction: float | None,
                  all_rows: bool) -> SplitMethod:  # fmt: skip
    if all_rows and public_fraction is not None:
        raise click.UsageError("Give --public-fraction or --all-rows, not both.")
    if all_rows:
        return SplitMethod.ALL
    if public_fraction is not None:
        return SplitMethod.FRACTION
    with solution_path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    if USAGE_COLUMN not in [h.strip() for h in header.split(",")]:
        raise click.UsageError(
            "Give --public-fraction or --all-rows, or a solution with a Usage column."
        )
    return SplitMethod.USAGE_COLUMN


def _payload(verdict: runner.Verdict) -> dict:
    if verdict.scored:
        scored = {"status": "scored", "public": verdict.public, "private": verdict.private}
        return scored | ({"details": verdict.details} if verdict.details else {})
    return {"status": verdict.status, "message": verdict.message}


def _leave(code: int) -> NoReturn:
    """End with ``code``, everything written (the temporary folder is gone, the sandbox
    reaped). As the program, without the interpreter's teardown of pandas and pyarrow: its
    last garbage collection walks their objects (0.1 s of a 1M-row run)."""
    if not as_program():
        sys.exit(code)
    runner.discard_waiting()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def emit(payload: dict, code: int) -> None:
    """Print ``payload`` as one JSON line and exit with ``code``."""
    click.echo(json.dumps(payload, ensure_ascii=False))
    sys.exit(code)
