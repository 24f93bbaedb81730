"""Many small ROC AUC files scored one after another: the fresh-sandbox path (the default
before ``SCORING_WARM``) and the warm path against one warm pandas + scikit-learn process, in
the same run.

``--files`` prediction files (default 20) of ``--rows`` rows (default 2,000) are scored
against one prepared solution, back to back, as a worker with a queue does:

- baseline: the scoring engine (``judge.scoring.engine.score.score``) called in this
  process, which has imported pandas and scikit-learn once before the clock starts;
- fresh path: ``runner.prewarm`` then ``runner.score_file`` for each file, as the worker
  calls them; with a queue the next file arrives at once, so the pre-started sandbox has
  not finished its imports and each file pays them;
- warm path (the default): the same calls with ``SCORING_WARM`` (``judge.scoring.warm``): one
  long-lived sandbox whose parent has imported everything (started before the clock) and
  forks a fresh, further-restricted child per file.

Every path must give the same public and private score for each file; files/s and the
ratios to the baseline are printed.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/warm_scoring.py [--files 20] [--rows 2000] [--warm-only]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _common import binary_file_series, heading, line, quiet_logs, ratio, temp_instance

PUBLIC_FRACTION = 0.3


def main() -> None:
    args = _arguments()
    quiet_logs()
    with tempfile.TemporaryDirectory(prefix="judge-bench-warm-") as tmp:
        folder = Path(tmp)
        heading(f"warm_scoring: {args.files} files of {args.rows:,} rows, back to back")
        solution, files = binary_file_series(folder, args.files, args.rows)
        with temp_instance():
            job, prepared = _prepare(folder, solution)
            job["max_bytes"] = max(f.stat().st_size for f in files) + 1
            base, expected = _baseline(job, files, prepared)
            fresh = None if args.warm_only else _fresh(job, files, prepared, expected)
            warm = _warm(job, files, prepared, expected)
        heading("files per second")
        for label, seconds in (("baseline (one warm process)", base),
                               ("fresh path", fresh), ("warm path", warm)):  # fmt: skip
            if seconds is not None:
                line(label, f"{len(files) / seconds:8.1f} files/s  ({seconds:.2f} s in all)")
        heading("ratios (time per file / baseline)")
        ratio("warm path / baseline", warm, base)
        if fresh is not None:
            ratio("fresh path / baseline", fresh, base)
            ratio("fresh path / warm path", fresh, warm)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--warm-only", action="store_true", help="Skip the fresh path (slow).")
    return parser.parse_args()


def _prepare(folder: Path, solution: Path) -> tuple[dict, Path]:
    """The prepared solution and the job, as ``judge score`` builds them."""
    from judge.problems import solution as solutions
    from judge.problems.models import SplitMethod
    from judge.scoring.engine.solution import write_prepared

    summary = solutions.inspect(solution, id_column="id", prediction_columns=[],
                                split_method=SplitMethod.FRACTION,
                                public_fraction=PUBLIC_FRACTION, salt="warm-scoring")  # fmt: skip
    prepared = folder / "solution.parquet"
    write_prepared(
        summary.frame, "id", summary.target_columns, summary.sides, prepared, order=summary.id_order
    )
    job = {"metric": "roc_auc", "id_column": "id", "prediction_columns": summary.prediction_columns,
           "target_columns": summary.target_columns}  # fmt: skip
    return job, prepared


def _baseline(job: dict, files: list[Path], prepared: Path) -> tuple[float, list[tuple]]:
    from judge.scoring.engine.score import score

    heading("baseline: the engine in this process (imports done before the clock)")
    score(job, str(files[0]), str(prepared))
    start = time.monotonic()
    results = [score(job, str(path), str(prepared)) for path in files]
    took = time.monotonic() - start
    for result in results:
        if result["status"] != "scored":
            raise SystemExit(f"baseline did not score: {result}")
    line("total", f"{took:.3f} s")
    return took, [(r["public"], r["private"]) for r in results]


def _score_each(setup, job: dict, files: list[Path], prepared: Path) -> tuple[float, list]:
    """Score the files one after another as a worker would (prewarm, then score_file)."""
    from judge.scoring import runner

    start = time.monotonic()
    verdicts = []
    for path in files:
        runner.prewarm(setup)
        verdicts.append(runner.score_file(setup, job, path, prepared))
    return time.monotonic() - start, verdicts


def _fresh(job: dict, files: list[Path], prepared: Path, expected: list[tuple]) -> float:
    from judge.scoring import runner
    from judge.scoring.setup import scoring_setup

    heading("fresh path: prewarm + score_file per file (a fresh sandbox each)")
    setup = replace(scoring_setup(), warm=False)
    runner.score_file(setup, job, files[0], prepared)  # preflight, engine copy
    took, verdicts = _score_each(setup, job, files, prepared)
    runner.discard_waiting()
    _check("fresh path", verdicts, expected)
    line("total", f"{took:.3f} s")
    return took


def _warm(job: dict, files: list[Path], prepared: Path, expected: list[tuple]) -> float:
    from judge.scoring import runner, warm
    from judge.scoring.setup import scoring_setup

    heading("warm path: SCORING_WARM, one warm sandbox, a forked child per file")
    setup = replace(scoring_setup(), warm=True)
    runner.score_file(setup, job, files[0], prepared)  # start-up and imports, not counted
    took, verdicts = _score_each(setup, job, files, prepared)
    if warm.started_count() != 1:
        raise SystemExit("the warm path did not keep one warm sandbox")
    warm.close()
    _check("warm path", verdicts, expected)
    line("total", f"{took:.3f} s")
    return took


def _check(label: str, verdicts: list, expected: list[tuple]) -> None:
    for verdict, (public, private) in zip(verdicts, expected, strict=True):
        if not verdict.scored or (verdict.public, verdict.private) != (public, private):
            raise SystemExit(f"{label}: {verdict.status} {verdict.message} {verdict.log[-2000:]}")


if __name__ == "__main__":
    main()
