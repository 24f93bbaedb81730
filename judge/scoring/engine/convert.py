"""Turning columns of text into numbers or labels: a fast path, and an exact one for messages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MISSING_WORDS = frozenset({"", "nan", "-nan", "na", "n/a", "#n/a", "null", "none"})
INTEGER, NUMBER, TEXT = "integer", "number", "text"


@dataclass(frozen=True)
class Parsed:
    values: np.ndarray  # float64; NaN where missing or not a number
    missing: np.ndarray  # bool: empty, or a word such as NaN or NA
    bad: np.ndarray  # bool: text that is not a number


def fast_floats(column: pa.ChunkedArray) -> np.ndarray | None:
    """Every value as float64 when all of them are plain numbers; otherwise None."""
    try:
        return pc.cast(column, pa.float64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def parse_floats(column: pa.ChunkedArray) -> Parsed:
    """The exact, slower reading: trims spaces and tells missing values from non-numbers."""
    text = pd.Series(column.to_pandas(), dtype=object).str.strip()
    missing = text.str.lower().isin(MISSING_WORDS).to_numpy()
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    return Parsed(values, missing, np.isnan(values) & ~missing)


def trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column with surrounding spaces removed."""
    return pc.utf8_trim_whitespace(column)


def read_labels(column: pa.ChunkedArray) -> tuple[str, np.ndarray]:
    """How labels compare, and the labels read that way.

    ``"integer"`` when all are whole numbers (so '1.0' == '1'), ``"number"``
    when all are numbers, otherwise ``"text"`` (trimmed strings).
    """
    values = fast_floats(trimmed(column))
    if values is None or not np.isfinite(values).all():
        return TEXT, text_labels(column)
    if whole(values):
        return INTEGER, values.astype(np.int64)
    return NUMBER, values


def whole(values: np.ndarray) -> bool:
    """True when every value is a whole number that fits in int64."""
    return bool(np.all(np.abs(values) < 2**62) and np.array_equal(values, np.round(values)))


def text_labels(column: pa.ChunkedArray) -> np.ndarray:
    """Trimmed labels as an array of Python strings."""
    return trimmed(column).to_numpy(zero_copy_only=False).astype(object)
