"""Scoring one submission: both sides from the same run, or a message saying why not."""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable
from os import PathLike

import numpy as np
import pyarrow.compute as pc

from .convert import TEXT
from .errors import ScoringError, SubmissionError
from .job import Job, parse_job
from .reading import Submission, read_submission
from .solution import BOTH, PRIVATE, PUBLIC, SIDE_FIELD, PreparedSolution, read_prepared
from .targets import prepare_targets
from .validation import check_columns, check_ids, read_predictions, validate

logger = logging.getLogger(__name__)

MAX_DETAILS = 200  # a score's details are a few named values, not a table


def score(job: dict, submission_path: str | PathLike, solution_path: str | PathLike) -> dict:
    """Score a prediction file against a prepared solution.

    Returns ``{"status": "scored", "public": float, "private": float, "rows": int}``
    (``rows``: data rows in the submission) — for a metric with details also ``"details":
    {"public": {name: float}, "private": {...}}``, each side's from its own rows only (see
    :func:`_side_details`) —, ``{"status": "invalid", "message": str}``
    when the participant's file is unusable, or ``{"status": "error", "message": str}``
    when the problem's setup is (a broken job or solution, an undefined score).
    Any other exception is a bug and propagates.
    """
    try:
        return _score(parse_job(job), submission_path, solution_path)
    except SubmissionError as exc:
        return {"status": "invalid", "message": exc.message}
    except ScoringError as exc:
        logger.error("Scoring setup problem: %s", exc.message, exc_info=exc.__cause__)
        return {"status": "error", "message": exc.message}


def _score(job: Job, submission_path: str | PathLike, solution_path: str | PathLike) -> dict:
    solution = _solution(solution_path)
    return score_read(job, solution, lambda: _read(job, submission_path))


def score_read(job: Job, solution: PreparedSolution, read: Callable[[], Submission]) -> dict:
    """:func:`score`'s work once the solution is loaded; ``read()`` gives the submission
    (after the solution's checks, so that a broken setup is reported first). Raises
    SubmissionError or ScoringError."""
    public, private = _on_side(solution, PUBLIC), _on_side(solution, PRIVATE)
    scored = public | private  # the rest are ignored
    targets = prepare_targets(solution, job, scored)
    submission = read()
    predictions = [p[scored] for p in validate(submission, solution, job, targets.kinds)]
    pairs = list(zip(targets.columns, predictions, strict=True))
    by_side = {side: _side(job, pairs, mask[scored], side)
               for side, mask in ((PUBLIC, public), (PRIVATE, private))}  # fmt: skip
    result = {"status": "scored", **{side: value for side, (value, _) in by_side.items()},
              "rows": submission.rows}  # fmt: skip
    if job.metric.details is not None:
        result["details"] = {side: details for side, (_, details) in by_side.items()}
    return result


def private_pairs(job: dict, submission_path: str | PathLike, solution_path: str | PathLike):
    """The metric and, per target column, the private rows' truth and prediction arrays
    (for the rank bootstrap). Raises SubmissionError or ScoringError like :func:`score`."""
    parsed = parse_job(job)
    solution = _solution(solution_path)
    private = _on_side(solution, PRIVATE)
    targets = prepare_targets(solution, parsed, private)
    submission = _read(parsed, submission_path)
    predictions = [p[private] for p in validate(submission, solution, parsed, targets.kinds)]
    return parsed.metric, list(zip(targets.columns, predictions, strict=True))


def check(job: dict, submission_path: str | PathLike) -> dict:
    """Check a prediction file without a solution (a validation run on public inputs): its
    header, its ids (none empty or repeated) and its values as the metric needs them.

    Returns ``{"status": "valid", "rows": int}``, or ``invalid`` and ``error`` as :func:`score`
    does. Labels are checked only for being there (their kind comes from the solution).
    """
    try:
        parsed = parse_job(job)
        submission = _read(parsed, submission_path)
        check_ids(submission, parsed.id_column)
        read_predictions(submission, parsed, [TEXT] * len(parsed.prediction_columns))
    except SubmissionError as exc:
        return {"status": "invalid", "message": exc.message}
    except ScoringError as exc:
        return {"status": "error", "message": exc.message}
    return {"status": "valid", "rows": submission.rows}


def _on_side(solution: PreparedSolution, side: str) -> np.ndarray:
    """Which rows score ``side``'s board: its own, and those on both (the split "all")."""
    sides = solution.table[SIDE_FIELD]
    return (pc.equal(sides, side).to_numpy() | pc.equal(sides, BOTH).to_numpy()).astype(bool)


def _read(job: Job, path: str | PathLike):
    return read_submission(path, max_bytes=job.max_bytes, quote_values=job.quote_values,
                           check_header=lambda columns: check_columns(columns, job))  # fmt: skip


def _solution(path: str | PathLike) -> PreparedSolution:
    try:
        return read_prepared(path)
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's errors derive from these
        raise ScoringError("The prepared solution file cannot be read.") from exc


def _side(job: Job, pairs: list, mask: np.ndarray, side: str) -> tuple[float, dict | None]:
    """The metric on one side's rows, averaged over target columns (never NaN), and its
    details if the metric has any."""
    if not mask.any():
        raise ScoringError(f"The solution has no {side} rows.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if job.metric.details is None:
                values = [job.metric.compute(truth[mask], guess[mask]) for truth, guess in pairs]
                details = None
            else:
                values, details = _side_details(job, pairs, mask)
    except ValueError as exc:
        raise _undefined(job, side) from exc
    result = float(np.mean(values))
    if not math.isfinite(result):
        raise _undefined(job, side)
    return result, details


def _side_details(job: Job, pairs: list, mask: np.ndarray) -> tuple[list[float], dict | None]:
    """Each target column's score, the mean of its details, and the details of all columns:
    keyed as the metric keys them (a class as the side's truth writes it), ``column: name``
    with several target columns; None if there are more than MAX_DETAILS."""
    values, details = [], {}
    for column, (truth, guess) in zip(job.target_columns, pairs, strict=True):
        parts = job.metric.details(truth[mask], guess[mask])
        values.append(float(np.mean(list(parts.values()))))
        prefix = f"{column}: " if len(pairs) > 1 else ""
        details.update({f"{prefix}{name}": float(value) for name, value in parts.items()})
    return values, details if len(details) <= MAX_DETAILS else None


def _undefined(job: Job, side: str) -> ScoringError:
    return ScoringError(
        f"The {side} score is undefined for {job.metric.name} on this solution (for example, "
        "a side with a single class). This is a problem with the competition's setup, "
        "not with your file; the organizers need to fix it."
    )
