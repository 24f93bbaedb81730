"""Command line: ``python -s -E -m engine --job J --submission S --solution P --output O``.

Writes the result of :func:`score.score` as JSON to ``--output``. Exits 0
when the submission was scored or found invalid, 1 otherwise. An
unexpected failure writes a generic message; its traceback goes to stderr,
which only organizers see.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from pathlib import Path

from .score import score

FAILED = {"status": "error", "message": "The scorer failed unexpectedly."}


def main(argv: list[str] | None = None) -> int:
    """Run one scoring job; the exit status says whether it produced a score or a verdict."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    try:
        job = json.loads(Path(args.job).read_text(encoding="utf-8"))
        result = score(job, args.submission, args.solution)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        result = FAILED
    Path(args.output).write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["status"] in ("scored", "invalid") else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="engine", description="Score one submission.")
    for name in ("job", "submission", "solution", "output"):
        parser.add_argument(f"--{name}", required=True)
    return parser


if __name__ == "__main__":
    sys.exit(main())
