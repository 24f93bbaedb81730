"""The solution's targets, read the way the metric needs them.

Problems found here are the setup's fault, so they raise ScoringError, and
their messages name columns only, never values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from .boxes import BadBoxes, boxes
from .convert import fast_floats, read_labels, text_labels, trimmed
from .errors import ScoringError
from .job import Job
from .masks import BadMask, by_class, masks
from .multilabel import indicators, label_sets
from .ranking import lists
from .solution import PreparedSolution
from .text import texts


@dataclass(frozen=True)
class Targets:
    columns: list[np.ndarray]  # scored rows only, one array per prediction pair
    kinds: list[str]  # for label metrics, how each column's labels compare


def prepare_targets(solution: PreparedSolution, job: Job, scored: np.ndarray) -> Targets:
    """Convert the scored rows' targets for ``job.metric``."""
    absent = [name for name in job.target_columns if name not in solution.target_columns]
    if absent:
        raise ScoringError(f"The solution has no target columns named {absent}.")
    mask = pa.array(scored)
    columns = {name: solution.target(name).filter(mask) for name in job.target_columns}
    if job.per_class:
        (name,) = job.target_columns
        return Targets([_class_codes(columns[name], name, job.prediction_columns)], [])
    expects = job.metric.expects
    if expects == "label":
        kinds, labels = zip(*(read_labels(column) for column in columns.values()), strict=True)
        return Targets(list(labels), list(kinds))
    if expects in ("mask", "class_masks"):
        values = [_masks(column, name, job) for name, column in columns.items()]
        return Targets([by_class(values)] if expects == "class_masks" else values, [])
    if expects == "boxes":
        return Targets([_boxes(column, name) for name, column in columns.items()], [])
    if expects == "label_sets":
        return Targets([_label_sets(columns)], [])
    if expects in ("ranking", "text"):
        read = lists if expects == "ranking" else texts
        return Targets([read(column) for column in columns.values()], [])
    convert = _binary_codes if expects == "probability" else _values
    return Targets([convert(column, name, job) for name, column in columns.items()], [])


def _values(column: pa.ChunkedArray, name: str, job: Job) -> np.ndarray:
    values = fast_floats(trimmed(column))
    if values is None or not np.isfinite(values).all():
        raise ScoringError(f"The solution's column {name!r} has values that are not numbers.")
    if job.metric.nonnegative and (values < 0).any():
        raise ScoringError(f"{job.metric.name} needs the solution's column {name!r} to be ≥ 0.")
    if job.metric.nonzero_truth and (values == 0).any():
        raise ScoringError(f"{job.metric.name} needs the solution's column {name!r} to be ≠ 0.")
    return values


def _masks(column: pa.ChunkedArray, name: str, job: Job) -> np.ndarray:
    try:
        return masks(column, job.pixels)
    except BadMask:
        raise ScoringError(
            f"The solution's column {name!r} has a mask that is not a valid run-length "
            "encoding inside the image size the problem sets."
        ) from None


def _boxes(column: pa.ChunkedArray, name: str) -> np.ndarray:
    try:
        return boxes(column, scored=False)
    except BadBoxes:
        raise ScoringError(
            f"The solution's column {name!r} has a value that is not boxes of a class, x, y, "
            "width and height separated by spaces."
        ) from None


def _label_sets(columns: dict[str, pa.ChunkedArray]) -> np.ndarray:
    """One column of labels separated by spaces, or one 0/1 column per label side by side."""
    if len(columns) == 1:
        return label_sets(*columns.values())
    return np.column_stack([_indicator(column, name) for name, column in columns.items()])


def _indicator(column: pa.ChunkedArray, name: str) -> np.ndarray:
    ones, bad = indicators(column)
    if bad.any():
        raise ScoringError(f"The solution's column {name!r} has values other than 0 and 1.")
    return ones


def _binary_codes(column: pa.ChunkedArray, name: str, job: Job) -> np.ndarray:
    """0 and 1, with the greater class as 1 (scikit-learn's convention for a binary target)."""
    _, values = read_labels(column)
    classes = np.unique(values)
    if len(classes) != 2:
        raise ScoringError(
            f"{job.metric.name} with one probability column needs exactly two classes in "
            f"the solution's column {name!r}."
        )
    return (values == classes[1]).astype(np.int64)


def _class_codes(column: pa.ChunkedArray, name: str, classes: tuple[str, ...]) -> np.ndarray:
    """For each row, the position of its class among the prediction columns."""
    names = pa.chunked_array([pa.array(classes)])
    values, keys = fast_floats(trimmed(column)), fast_floats(trimmed(names))
    if values is None or keys is None:
        values, keys = text_labels(column), text_labels(names)
    index = pd.Index(keys)
    if not index.is_unique:
        raise ScoringError("Two prediction columns name the same class.")
    codes = index.get_indexer(values)
    if (codes < 0).any():
        raise ScoringError(
            f"{int((codes < 0).sum())} scored rows of the solution's column {name!r} have a "
            "class that is none of the prediction columns."
        )
    return codes.astype(np.int64)
