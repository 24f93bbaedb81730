"""Helpers shared by the benchmarks: timing, percentiles, reports, data files, temp instances.

Not a benchmark itself. Importing it puts the repository root on ``sys.path`` so the
benchmarks can reuse ``tests.factories`` and ``tests.integration.servers``.

Every benchmark runs on its own sandbox root and slot uids (``SANDBOX_SETTINGS``), apart
from the test suite's (``/run/judge-sandbox-test``, ``-it``; uids 61000 and 62000), because a
slot kills every process of its uid before and after a run.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
BIN = REPO / ".venv" / "bin"

SANDBOX_SETTINGS = {"SANDBOX_ROOT": "/run/judge-sandbox-bench", "SANDBOX_UID_BASE": "64000"}
PASSWORD = "benchmark-password"


# --- timing -------------------------------------------------------------------------------


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """Seconds ``fn(*args, **kwargs)`` took on the monotonic clock, and what it returned."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def repeat(fn: Callable[[], Any], times: int, warmup: int = 0) -> list[float]:
    """Run ``fn`` ``warmup`` times unmeasured, then ``times`` times; the seconds of each."""
    for _ in range(warmup):
        fn()
    return [timed(fn)[0] for _ in range(times)]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100), interpolated linearly between ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


# --- reporting ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def heading(title: str) -> None:
    print(f"\n== {title}", flush=True)


def line(label: str, text: str) -> None:
    print(f"  {label:<46} {text}", flush=True)


def seconds_list(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:.3f}" for v in values) + "] s"


def spread(label: str, values: Sequence[float], quantiles: Sequence[float] = (50, 95, 99)) -> None:
    """One line: the chosen percentiles and the maximum, in milliseconds."""
    parts = [f"p{q:g} {percentile(values, q) * 1000:7.1f}" for q in quantiles]
    parts.append(f"max {max(values) * 1000:7.1f}")
    line(label, " | ".join(parts) + f" ms  (n={len(values)})")


def ratio(label: str, value: float, baseline: float, target: float | None = None) -> float:
    """Print ``value / baseline`` and, with a target, whether the ratio meets it."""
    result = value / baseline if baseline > 0 else math.inf
    verdict = ""
    if target is not None:
        verdict = f"  (target ≤ {target:g}×: {'met' if result <= target else 'MISSED'})"
    line(label, f"{result:8.2f}×{verdict}")
    return result


def target(label: str, value: float, limit: float) -> bool:
    """Print whether an absolute figure (seconds) meets its target."""
    met = value <= limit
    line(label, f"{value * 1000:9.1f} ms vs target ≤ {limit * 1000:g} ms: {_met(met)}")
    return met


def _met(met: bool) -> str:
    return "met" if met else "MISSED"


def sandbox_wall(log: str) -> float:
    """The sandboxed process's own wall time, from the log line ``judge.scoring.runner`` writes."""
    found = re.search(r"wall=([0-9.]+)s", log)
    return float(found.group(1)) if found else math.nan


# --- data ---------------------------------------------------------------------------------


def binary_frames(rows: int, seed: int = 7):
    """A binary solution (``id,label``) and fitting predictions (``id,label`` = P(class 1)).

    The predictions overlap between the classes (ROC AUC about 0.875), so the metric sorts
    real ties and near-ties rather than a perfectly separated column.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    ids = np.arange(rows)
    labels = rng.integers(0, 2, rows)
    scores = ((labels * 0.5 + rng.random(rows)) / 1.5).round(4)
    return pd.DataFrame({"id": ids, "label": labels}), pd.DataFrame({"id": ids, "label": scores})


def write_binary_files(
    folder: Path, rows: int, seed: int = 7, shuffle: bool = False
) -> tuple[Path, Path]:
    """Write ``solution.csv`` and ``predictions.csv`` (rows shuffled if asked) into ``folder``."""
    solution, predictions = binary_frames(rows, seed)
    if shuffle:
        predictions = predictions.sample(frac=1.0, random_state=seed)
    solution_path, predictions_path = folder / "solution.csv", folder / "predictions.csv"
    solution.to_csv(solution_path, index=False)
    predictions.to_csv(predictions_path, index=False, float_format="%.4f")
    return solution_path, predictions_path


def binary_file_series(folder: Path, count: int, rows: int) -> tuple[Path, list[Path]]:
    """One solution and ``count`` prediction files (a different seed each, same ids)."""
    files = []
    for index in range(count):
        sub = folder / f"f{index}"
        sub.mkdir()
        files.append(write_binary_files(sub, rows, seed=7 + index)[1])
    return folder / "f0" / "solution.csv", files


def baseline_auc(solution: Path, predictions: Path, id_column: str = "id") -> float:
    """The bare work: read both files with pandas, align by id, one ROC AUC over all rows."""
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    truth = pd.read_csv(solution)
    guess = pd.read_csv(predictions)
    merged = truth.merge(guess, on=id_column, suffixes=("_true", "_pred"), validate="one_to_one")
    return float(roc_auc_score(merged["label_true"], merged["label_pred"]))


# --- instances ----------------------------------------------------------------------------


@dataclass
class Instance:
    """A migrated judge instance on disk, with the app context of this process pushed."""

    path: Path
    env: dict[str, str]  # for the gunicorn and worker processes
    app: Any
    make: Any  # tests.factories.Factories
    logs: Path


@contextlib.contextmanager
def temp_instance(keep: bool = False, **settings: str) -> Iterator[Instance]:
    """A fresh instance (SQLite database, SQLite broker, local storage) in a temp folder.

    ``settings`` are extra ``JUDGE_*`` settings without the prefix. This process sees the
    same settings through its environment while the block runs, as the children do.
    """
    import logging

    from flask_migrate import upgrade

    from judge import create_app
    from judge.core.extensions import db
    from tests.factories import Factories
    from tests.integration.servers import environment

    folder = Path(tempfile.mkdtemp(prefix="judge-bench-"))
    env = environment(folder / "instance", **{**SANDBOX_SETTINGS, **settings})
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        app = create_app()
        with app.app_context():
            logging.disable(logging.INFO)  # alembic's "Running upgrade" lines
            try:
                upgrade()
            finally:
                logging.disable(logging.NOTSET)
            yield Instance(folder / "instance", env, app, Factories(PASSWORD), folder)
            db.session.remove()
            db.engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if keep:
            print(f"  (kept {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def quiet_logs() -> None:
    """Keep alembic's and the sandbox's INFO lines out of the printed report."""
    import logging

    for name in ("alembic", "judge", "flask_migrate"):
        logging.getLogger(name).setLevel(logging.WARNING)
