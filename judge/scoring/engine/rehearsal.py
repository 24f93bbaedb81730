"""The warm parent's rehearsal: one made-up file scored before the first job.

A child forked from a parent that has scored once skips the libraries' first-call work
(lazy imports, caches and registries in pandas, pyarrow and scikit-learn): about a fifth
of a 2,000-row file's CPU time in the child, measured. The rehearsal starts no thread, so
that the parent still has exactly one when it forks (a forked child of a multi-threaded
parent could find a lock held by a thread it does not have): it parses no CSV (pyarrow's
CSV reader starts its I/O threads) and reads the solution from bytes
(:func:`solution.read_prepared_bytes`). Everything after parsing (the solution's checks,
validation, the metric) is the path a job takes. No job's input is ever read here.
"""

from __future__ import annotations

import io
import sys
import traceback

import pandas as pd
import pyarrow as pa

from .job import parse_job
from .reading import Submission
from .score import score_read
from .solution import PRIVATE, PUBLIC, read_prepared_bytes, write_prepared

ROWS = 64
JOB = {"metric": "roc_auc", "id_column": "id", "prediction_columns": ["label"],
       "target_columns": ["label"], "max_bytes": 10**6}  # fmt: skip


def rehearse() -> dict:
    """Score a made-up ROC AUC file in this process; its result (``scored``)."""
    ids = [str(i) for i in range(ROWS)]
    frame = pd.DataFrame({"id": ids, "label": [str(i // 2 % 2) for i in range(ROWS)]})
    sides = pd.Series([PUBLIC, PRIVATE] * (ROWS // 2), index=frame.index)
    stored = io.BytesIO()
    write_prepared(frame, "id", ["label"], sides, stored)
    solution = read_prepared_bytes(stored.getvalue())
    guesses = [f"{i % 7 / 7:.3f}" for i in range(ROWS)]
    text = "id,label\n" + "".join(f"{i},{g}\n" for i, g in zip(ids, guesses, strict=True))
    table = pa.table({"id": pa.array(ids, pa.string()), "label": pa.array(guesses, pa.string())})
    submission = Submission(["id", "label"], table, text.encode())
    return score_read(parse_job(JOB), solution, lambda: submission)


def warm_up() -> None:
    """:func:`rehearse`, for a process about to score: a failure costs only the warm-up
    (its traceback and result go to stderr, which only organizers see)."""
    try:
        result = rehearse()
    except Exception:
        traceback.print_exc()
        return
    if result.get("status") != "scored":
        print(f"engine: the rehearsal did not score: {result}", file=sys.stderr, flush=True)
