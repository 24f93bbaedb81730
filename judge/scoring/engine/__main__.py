"""Command line: ``python -s -E -m engine --job J --submission S --solution P --output O``.

Writes the result of :func:`score.score` as JSON to ``--output``; without ``--solution``,
that of :func:`score.check` (a validation run's file, checked without a solution); for a
job with ``"resample"`` (one team's side of the rank bootstrap), that of
:func:`resample.resample`. Exits 0 when the submission was scored, checked, resampled or
found invalid, 1 otherwise. An
unexpected failure writes a generic message; its traceback goes to stderr,
which only organizers see.

With ``--wait-for-go`` (a pre-started sandbox) the engine first imports everything it
uses and scores a made-up file (:mod:`.rehearsal`), then reads one line from stdin: ``go``
means the inputs are in place, so it scores as above; end of file (the sandbox was
discarded) or anything else ends it with status 0 and no output. It then also exits
without the interpreter's slow teardown.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import traceback
from pathlib import Path

from .rehearsal import warm_up
from .resample import resample
from .score import check, score

FAILED = {"status": "error", "message": "The scorer failed unexpectedly."}
#: Imported before waiting, besides the engine's own modules (``.score`` imports them all):
#: pyarrow loads ``dataset`` (parquet.read_table) and ``pandas_compat`` (to_pandas) lazily.
PRELOAD = ("numpy", "pandas", "pyarrow.compute", "pyarrow.csv", "pyarrow.dataset",
           "pyarrow.pandas_compat", "pyarrow.parquet", "sklearn.metrics",
           "rapidfuzz.distance", "sacrebleu.metrics")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run one scoring job; the exit status says whether it produced a score or a verdict."""
    args = _parser().parse_args(argv)
    if args.wait_for_go and not _wait_for_go():
        return 0
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    try:
        job = json.loads(Path(args.job).read_text(encoding="utf-8"))
        result = _run(job, args.submission, args.solution)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        result = FAILED
    Path(args.output).write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["status"] in ("scored", "valid", "invalid", "resampled") else 1


def _run(job: dict, submission: str, solution: str | None) -> dict:
    """Check without a solution; resample for the rank bootstrap; else score."""
    if solution is None:
        return check(job, submission)
    if isinstance(job, dict) and "resample" in job:
        return resample(job, submission, solution)
    return score(job, submission, solution)


def _wait_for_go() -> bool:
    """Import what scoring will need and score a made-up file once (the libraries' first-call
    work: 0.2 s of a 1M-row file's 0.7), then wait for a line on stdin; True if it is go."""
    for name in PRELOAD:
        importlib.import_module(name)
    warm_up()
    return sys.stdin.readline().strip() == "go"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="engine", description="Score one submission.")
    for name in ("job", "submission", "output"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--solution", help="Without it, only check the submission.")
    parser.add_argument(
        "--wait-for-go", action="store_true", help="Import everything, then wait for go on stdin."
    )
    return parser


def _exit_now(status: int) -> None:
    """End without the interpreter's teardown of pandas, pyarrow and scikit-learn (about
    0.3 s): everything the caller reads (the output file, stdout, stderr) is written."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    _status = main()
    if "--wait-for-go" in sys.argv[1:]:
        _exit_now(_status)
    sys.exit(_status)
