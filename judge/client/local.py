"""``judge score --problem``: score a file on this computer exactly as the platform does.

The problem's managers fetch its metric, columns and split (with the secret salt) from the
server, split their copy of the solution the same way, and run the worker's own scoring
engine on it. The engine needs pandas, pyarrow and scikit-learn: the light client installs
them with its ``score`` extra (``pip install 'judge-client[score]'``).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from types import ModuleType

import click

from . import refs
from .commands import connect
from .http import ClientError
from .i18n import N_, _, command, lang_option
from .output import echo_json
from .scores import score_text

# The worker's engine: inside the server's package, or copied into the light client's.
ENGINE = "judge.scoring.engine" if __package__ == "judge.client" else f"{__package__}.engine"
EXTRA = "pip install 'judge-client[score]'"
FRACTION, USAGE_COLUMN, ALL = "fraction", "usage_column", "all"


def engine(name: str) -> ModuleType:
    """A module of the worker's scoring engine."""
    return need(f"{ENGINE}.{name}")


def need(module: str) -> ModuleType:
    """``module``, imported; a clear error when the scoring libraries are missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ClientError(
            _("Scoring on this computer needs pandas, pyarrow and scikit-learn (%(module)s is "
              "missing). Install them with: %(command)s", module=exc.name, command=EXTRA)
        ) from None  # fmt: skip


def split_solution(setup: dict, solution: Path):
    """The solution as text, and each row's side under the problem's split."""
    pandas, splits = need("pandas"), engine("splits")
    try:
        frame = pandas.read_csv(solution, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if setup["split_method"] == FRACTION:
            ids = frame[setup["id_column"]]
            return frame, splits.fraction_split(ids, setup["split_salt"], setup["public_fraction"])
        if setup["split_method"] == ALL:
            return frame, splits.all_split(frame[setup["id_column"]])
        return frame, splits.usage_split(frame[splits.USAGE_COLUMN])
    except KeyError as exc:
        raise ClientError(_("The solution has no column %(column)s.", column=exc)) from None
    except (ValueError, UnicodeError) as exc:  # pandas' parser errors are ValueErrors
        raise ClientError(
            _("Could not read the solution %(path)s: %(error)s", path=solution, error=exc)
        ) from None


def score_locally(setup: dict, solution: Path, submission: Path) -> dict:
    """The engine's result for ``submission`` against ``solution``, split as the platform
    splits it: {"status": "scored", "public", "private", "rows"} or a status and message."""
    frame, sides = split_solution(setup, solution)
    job = {key: setup[key] for key in ("metric", "options", "id_column", "prediction_columns",
                                       "target_columns", "max_bytes")}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "solution.parquet"
        try:
            engine("solution").write_prepared(frame, setup["id_column"], setup["target_columns"],
                                              sides, prepared)  # fmt: skip
        except (KeyError, ValueError) as exc:
            message = _("The solution does not fit the problem: %(error)s", error=exc)
            raise ClientError(message) from None
        result = engine("score").score(job, submission, prepared)
    both = int((sides == "both").sum())
    return {**result, "public_rows": int((sides == "public").sum()) + both,
            "private_rows": int((sides == "private").sum()) + both}  # fmt: skip


def split_text(setup: dict, result: dict) -> str:
    rows = {"public": result["public_rows"], "private": result["private_rows"]}
    if setup["split_method"] == ALL:
        return _("Split: every row scores both boards (%(public)s rows); the private score "
                 "equals the public one.", **rows)  # fmt: skip
    if setup["split_method"] == USAGE_COLUMN:
        return _("Split: the solution's Usage column (%(public)s public rows, %(private)s "
                 "private).", **rows)  # fmt: skip
    return _("Split: %(percent)s%% of the ids public by a hash keyed with the problem's salt "
             "%(salt)s… (%(public)s public rows, %(private)s private).",
             percent=format(setup["public_fraction"] * 100, "g"),
             salt=setup["split_salt"][:6], **rows)  # fmt: skip


def scores_text(setup: dict, result: dict) -> str:
    decimals = setup["decimals"]
    return "\n".join([
        _("Public score: %(score)s", score=score_text(result["public"], decimals)),
        _("Private score: %(score)s", score=score_text(result["private"], decimals)),
        split_text(setup, result),
    ])  # fmt: skip


def report(setup: dict, result: dict, as_json: bool) -> None:
    """Print the scores (or why there are none); exit 1 when the file was not scored."""
    if as_json:
        echo_json({**result, "decimals": setup["decimals"], "split_method": setup["split_method"],
                   "public_fraction": setup["public_fraction"]})  # fmt: skip
    elif result["status"] == "scored":
        click.echo(scores_text(setup, result))
    if result["status"] != "scored":
        if as_json:
            click.get_current_context().exit(1)
        raise ClientError(_("The file was not scored: %(reason)s", reason=result["message"]))


@command(
    "score",
    help=N_(
        "Score SUBMISSION against your copy of the SOLUTION as the leaderboard does.\n\n"
        "For the problem's organizers and sponsor: the metric, the columns and the "
        "split (with its secret salt; reading it is recorded in the audit log) come "
        "from the server, and the worker's own scoring engine runs here."
    ),
)
@lang_option
@click.option("--problem", "problem", type=refs.PROBLEM, required=True, help=refs.HELP)
@click.argument("solution", type=refs.FILE)
@click.argument("submission", type=refs.FILE)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the scores as JSON."))
def score(problem: str, solution: Path, submission: Path, as_json: bool) -> None:
    engine("score")  # before asking the server: say at once when the libraries are missing
    server = connect()
    setup = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}/scoring-setup")
    report(setup, score_locally(setup, solution, submission), as_json)
