"""Scoring a large prediction file: the sandboxed scorer against bare pandas + scikit-learn.

Measures, on a generated binary-classification problem (default 1,000,000 rows; ids plus a
0/1 label in the solution, ids plus a probability in the predictions):

- baseline: in this process, ``pandas.read_csv`` of both files, a merge on the id and
  ``sklearn.metrics.roc_auc_score`` (one AUC over all rows);
- ``score_file``, cold (sandbox start included): ``judge.scoring.runner.score_file`` with
  ``judge.scoring.setup.scoring_setup()`` inside an app context, on a solution prepared
  once as ``judge score`` prepares it (not timed; the platform does it at upload), with no
  sandbox waiting, as ``judge score`` runs. The first call (sandbox preflight, engine copy)
  is a warm-up, reported apart;
- ``score_file``, warm (``SCORING_WARM``, the worker's default): a child forked per file from
  one warm sandbox, started by a first call not counted;
- ``score_file``, pre-started: as a worker runs it, ``runner.prewarm(setup)`` first, then
  ``--idle`` seconds (default 3; the time between two jobs, not measured) for the sandboxed
  engine to finish its imports, then the timed ``score_file``, served by that sandbox;
- whole CLI: ``judge score --metric roc_auc S P --public-fraction 0.3`` as a subprocess
  (settings, solution check and split, sandbox), against the bare work as a script: a fresh
  ``python`` that imports pandas and scikit-learn and does the baseline's work, run just
  before each CLI run (both pay an interpreter's start and imports);
- diagnostics: the engine in this process without a sandbox, and sandboxed Pythons that do
  nothing, import only numpy + pyarrow, or import the engine (which imports pandas and
  scikit-learn), to show where the time goes.

Each is run ``--repeat`` times (default 3); medians are reported.

Target: score_file / baseline ≤ 1.5× (warm and pre-started), and the whole CLI / the bare
script ≤ 1.5× (issue 16: "``judge score`` on 1M rows within 1.5× of the bare script"). The
cold ratio and the whole CLI against the in-process baseline are printed for information.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/score_large.py [--rows 1000000] [--repeat 3] [--shuffle]
        [--idle 3]
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _common import (
    BIN,
    REPO,
    baseline_auc,
    heading,
    line,
    median,
    quiet_logs,
    ratio,
    sandbox_wall,
    seconds_list,
    temp_instance,
    timed,
    write_binary_files,
)

TARGET_RATIO = 1.5
PUBLIC_FRACTION = 0.3


def main() -> None:
    args = _arguments()
    quiet_logs()
    with tempfile.TemporaryDirectory(prefix="judge-bench-score-") as tmp:
        folder = Path(tmp)
        heading(f"score_large: {args.rows:,} rows, {args.repeat} repeats")
        took, (solution, predictions) = timed(
            write_binary_files, folder, args.rows, shuffle=args.shuffle
        )
        line("generate files (not measured)", f"{took:.2f} s")
        line("solution / predictions size", f"{_mb(solution)} / {_mb(predictions)}")
        baseline = _baseline(solution, predictions, args.repeat)
        with temp_instance() as instance:
            scored, job, prepared = _score_file(folder, solution, predictions, args.repeat)
            forked = _score_file_forked(job, predictions, prepared, args.repeat)
            warm = _score_file_warm(job, predictions, prepared, args.repeat, args.idle)
            cli, script = _whole_cli(instance.env, solution, predictions, args.repeat)
            _diagnostics(job, predictions, prepared, args.repeat)
        heading("ratios (medians)")
        ratio("score_file, warm sandbox (the worker's default) / baseline", forked, baseline,
              TARGET_RATIO)  # fmt: skip
        ratio("score_file, pre-started sandbox / baseline", warm, baseline, TARGET_RATIO)
        ratio("score_file, cold (sandbox start included) / baseline", scored, baseline)
        ratio("whole CLI / bare script (both fresh processes)", cli, script, TARGET_RATIO)
        ratio("whole CLI / baseline (in process)", cli, baseline)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--idle", type=float, default=3.0, help="Seconds between prewarm and a warm score_file."
    )
    parser.add_argument(
        "--shuffle", action="store_true", help="Shuffle the prediction rows (hash-join path)."
    )
    return parser.parse_args()


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"


def _baseline(solution: Path, predictions: Path, repeat: int) -> float:
    heading("baseline: pandas.read_csv x2 + merge on id + roc_auc_score (in process)")
    took, auc = timed(baseline_auc, solution, predictions)
    line("first run: imports pandas + sklearn (warm-up)", f"{took:.3f} s")
    times = []
    for _ in range(repeat):
        took, auc = timed(baseline_auc, solution, predictions)
        times.append(took)
    line("runs", seconds_list(times))
    line("median", f"{median(times):.3f} s   (AUC over all rows {auc:.5f})")
    return median(times)


def _prepare(folder: Path, solution: Path) -> tuple[dict, Path]:
    """The prepared solution and the job, exactly as ``judge score`` builds them."""
    from judge.problems import solution as solutions
    from judge.problems.models import SplitMethod
    from judge.scoring.engine.solution import write_prepared

    summary = solutions.inspect(
        solution,
        id_column="id",
        prediction_columns=[],
        split_method=SplitMethod.FRACTION,
        public_fraction=PUBLIC_FRACTION,
        salt=secrets.token_hex(16),
        stacked=True,
    )
    prepared = folder / "solution.parquet"
    write_prepared(
        summary.frame, "id", summary.target_columns, summary.sides, prepared, order=summary.id_order
    )
    job = {
        "metric": "roc_auc",
        "id_column": "id",
        "prediction_columns": summary.prediction_columns,
        "target_columns": summary.target_columns,
    }
    return job, prepared


def _score_file(
    folder: Path, solution: Path, predictions: Path, repeat: int
) -> tuple[float, dict, Path]:
    from judge.scoring.runner import score_file
    from judge.scoring.setup import scoring_setup

    heading("score_file, cold (sandbox start included), in an app context")
    took, (job, prepared) = timed(_prepare, folder, solution)
    job["max_bytes"] = predictions.stat().st_size + 1
    line("prepare solution like `judge score` (not counted)", f"{took:.2f} s")
    setup = replace(scoring_setup(), warm=False)
    took, verdict = timed(score_file, setup, job, predictions, prepared)
    _check(verdict)
    line("first call: preflight + engine copy (warm-up)", f"{took:.3f} s")
    times, inside = [], []
    for _ in range(repeat):
        took, verdict = timed(score_file, setup, job, predictions, prepared)
        _check(verdict)
        times.append(took)
        inside.append(sandbox_wall(verdict.log))
    line("runs", seconds_list(times))
    line("median", f"{median(times):.3f} s   (public {verdict.public:.5f}, "
                   f"private {verdict.private:.5f})")  # fmt: skip
    line("  of which the sandboxed process ran (wall)", f"{median(inside):.3f} s")
    host = median(times) - median(inside)
    line("  host side (slot, input copy, bwrap, reading)", f"{host:.3f} s")
    return median(times), job, prepared


def _score_file_forked(job: dict, predictions: Path, prepared: Path, repeat: int) -> float:
    from judge.scoring import runner, warm
    from judge.scoring.setup import scoring_setup

    heading("score_file, warm sandbox (SCORING_WARM: a child forked per file)")
    setup = replace(scoring_setup(), warm=True)
    took, verdict = timed(runner.score_file, setup, job, predictions, prepared)
    _check(verdict)
    line("first call: the warm parent's start (warm-up)", f"{took:.3f} s")
    times = []
    for _ in range(repeat):
        took, verdict = timed(runner.score_file, setup, job, predictions, prepared)
        _check(verdict)
        times.append(took)
    if warm.started_count() != 1:
        raise SystemExit("score_file was not served by one warm sandbox")
    warm.close()
    line("runs", seconds_list(times))
    line("median", f"{median(times):.3f} s")
    return median(times)


def _score_file_warm(job: dict, predictions: Path, prepared: Path, repeat: int,
                     idle: float) -> float:  # fmt: skip
    from judge.scoring import runner
    from judge.scoring.setup import scoring_setup

    heading(f"score_file, pre-started sandbox (prewarm, {idle:g} s idle, then score_file)")
    setup = replace(scoring_setup(), warm=False)
    times, inside = [], []
    warm_before = runner.counts.warm
    for _ in range(repeat):
        runner.prewarm(setup)
        time.sleep(idle)  # the time between two jobs: the engine imports meanwhile
        took, verdict = timed(runner.score_file, setup, job, predictions, prepared)
        _check(verdict)
        times.append(took)
        inside.append(sandbox_wall(verdict.log))
    if runner.counts.warm - warm_before != repeat:
        raise SystemExit("score_file was not served by the pre-started sandbox")
    line("runs", seconds_list(times))
    line("median", f"{median(times):.3f} s   (public {verdict.public:.5f}, "
                   f"private {verdict.private:.5f})")  # fmt: skip
    line("  of which the sandboxed process (wall from go)", f"{median(inside):.3f} s")
    host = median(times) - median(inside)
    line("  host side (input copy, go, reading)", f"{host:.3f} s")
    return median(times)


def _check(verdict) -> None:
    if not verdict.scored:
        raise SystemExit(f"score_file did not score: {verdict.status} {verdict.message}\n"
                         f"{verdict.log[-3000:]}")  # fmt: skip


BARE_SCRIPT = (
    "import sys; sys.path.insert(0, 'benchmarks'); from _common import baseline_auc; "
    "print(baseline_auc(sys.argv[1], sys.argv[2]))"
)


def _whole_cli(env: dict, solution: Path, predictions: Path, repeat: int) -> tuple[float, float]:
    """Medians of the whole CLI and of the bare script, each CLI run just after a script run."""
    heading("whole CLI: judge score --metric roc_auc ... --public-fraction 0.3 (subprocess)")
    bare = [str(BIN / "python"), "-c", BARE_SCRIPT, str(solution), str(predictions)]
    argv = [
        str(BIN / "judge"),
        "score",
        "--metric",
        "roc_auc",
        str(solution),
        str(predictions),
        "--public-fraction",
        str(PUBLIC_FRACTION),
    ]
    times, scripts = [], []
    for _ in range(repeat):
        took, _done = timed(subprocess.run, bare, cwd=REPO, capture_output=True, check=True)
        scripts.append(took)
        took, done = timed(subprocess.run, argv, env=env, cwd=REPO, capture_output=True, text=True)
        answer = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
        if done.returncode != 0 or answer.get("status") != "scored":
            raise SystemExit(f"judge score failed ({done.returncode}):\n{done.stdout}\n"
                             f"{done.stderr[-3000:]}")  # fmt: skip
        times.append(took)
    line("bare script runs", seconds_list(scripts))
    line("bare script median", f"{median(scripts):.3f} s")
    line("CLI runs", seconds_list(times))
    line("CLI median", f"{median(times):.3f} s   ({done.stdout.strip()})")
    return median(times), median(scripts)


def _diagnostics(job: dict, predictions: Path, prepared: Path, repeat: int) -> None:
    """Where the time goes: the engine alone, and the sandboxed interpreter's start-up."""
    from judge.scoring.engine.score import score

    heading("diagnostics (not part of the ratios)")
    times = [timed(score, job, predictions, prepared)[0] for _ in range(repeat)]
    line("engine in this process, no sandbox (warm)", f"{median(times):.3f} s")
    for label, code in (
        ("sandbox: python -c pass", "pass"),
        ("sandbox: python, import numpy + pyarrow only", _ARROW),
        ("sandbox: python, import the engine + sklearn", "import engine.score"),
    ):
        walls, totals = _sandboxed_python(code, repeat)
        line(label, f"{median(totals):.3f} s total, {median(walls):.3f} s inside")


_ARROW = "import numpy, pyarrow.compute, pyarrow.csv, pyarrow.parquet"


def _sandboxed_python(code: str, repeat: int) -> tuple[list[float], list[float]]:
    from judge import sandbox
    from judge.scoring.runner import engine_code
    from judge.scoring.setup import scoring_setup

    setup = scoring_setup()
    runtime = setup.python.parent.parent
    job = sandbox.Job(
        argv=[str(setup.python), "-s", "-E", "-c", code],
        mounts={"/code": engine_code(setup.config.root), str(runtime): runtime},
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "OMP_NUM_THREADS": "1",
             "OPENBLAS_NUM_THREADS": "1", "LANG": "C.UTF-8"},
        workdir="/code",
        limits=setup.limits,
    )  # fmt: skip
    walls, totals = [], []
    for _ in range(repeat):
        took, result = timed(sandbox.run, job, setup.config)
        if not result.ok:
            raise SystemExit(f"sandboxed python failed: {result.stderr.decode()[-2000:]}")
        walls.append(result.wall_seconds)
        totals.append(took)
    return walls, totals


if __name__ == "__main__":
    main()
