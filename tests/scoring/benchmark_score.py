"""Time the engine on a 1,000,000-row binary roc_auc submission against a bare baseline.

Run: ``.venv/bin/python -m tests.scoring.benchmark_score [rows]``. The
baseline is what a notebook would do: ``pd.read_csv`` of the submission and
of the solution, then ``roc_auc_score`` (no checks, no alignment, no split).
The engine reads the submission CSV and the prepared solution parquet,
validates, aligns and scores both sides. Prints the ratio of the medians.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from judge.scoring.engine.score import score
from judge.scoring.engine.solution import write_prepared

REPEATS = 5


ORDERS = ("same order as the solution", "sorted by id", "shuffled")


def make_files(folder: Path, rows: int, order: str) -> tuple[Path, Path, Path]:
    """A solution CSV (ids not sorted), its prepared parquet (30% public) and a submission."""
    rng = np.random.default_rng(0)
    ids = pd.Series([f"TEST_{i:07d}" for i in rng.permutation(rows)])
    solution = pd.DataFrame({"id": ids, "target": rng.integers(0, 2, rows)})
    sides = pd.Series(np.where(rng.random(rows) < 0.3, "public", "private"))
    rows_in = {
        ORDERS[0]: np.arange(rows),
        ORDERS[1]: np.argsort(ids.to_numpy()),
        ORDERS[2]: rng.permutation(rows),
    }[order]
    submission = pd.DataFrame({"id": ids[rows_in], "target": rng.random(rows).round(6)})
    paths = folder / "solution.csv", folder / "solution.parquet", folder / "submission.csv"
    solution.to_csv(paths[0], index=False)
    write_prepared(solution.astype(str), "id", ["target"], sides, paths[1])
    submission.to_csv(paths[2], index=False)
    return paths


def baseline(solution_csv: Path, submission_csv: Path) -> float:
    truth, guess = pd.read_csv(solution_csv), pd.read_csv(submission_csv)
    return roc_auc_score(truth["target"], guess["target"])


def engine(parquet: Path, submission_csv: Path) -> dict:
    job = {
        "metric": "roc_auc",
        "id_column": "id",
        "prediction_columns": ["target"],
        "target_columns": ["target"],
        "max_bytes": 1 << 30,
    }
    result = score(job, submission_csv, parquet)
    assert result["status"] == "scored", result
    return result


def median_seconds(function, *args) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(rows: int) -> None:
    for order in ORDERS:
        with tempfile.TemporaryDirectory() as tmp:
            solution_csv, parquet, submission_csv = make_files(Path(tmp), rows, order)
            engine(parquet, submission_csv)  # warm up imports and caches
            base = median_seconds(baseline, solution_csv, submission_csv)
            ours = median_seconds(engine, parquet, submission_csv)
        print(
            f"{rows:,} rows, {order}: baseline {base:.3f}s, engine {ours:.3f}s, "
            f"ratio {ours / base:.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
