"""Which solution rows are public: a salted hash of the id, or the solution's Usage column.

Pure functions. The salt is secret, so nobody outside can tell which ids
are public, and the split is stable: the same id lands on the same side
every time, whatever order the rows come in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

USAGE_COLUMN = "Usage"
PUBLIC, PRIVATE, IGNORED = "public", "private", "ignored"
USAGE_VALUES = {"public": PUBLIC, "private": PRIVATE, "ignored": IGNORED}
_SCALE = float(2**64)


def hash_fraction(salt: str, row_id: str) -> float:
    """A number in [0, 1) fixed by the salt and the id."""
    digest = hashlib.sha256(f"{salt}\x00{row_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def fraction_split(ids: Iterable[str], salt: str, fraction: float) -> pd.Series:
    """'public' or 'private' for each id; about ``fraction`` of them public."""
    ids = list(ids)
    values = np.fromiter((hash_fraction(salt, i) for i in ids), dtype=float, count=len(ids))
    return pd.Series(np.where(values < fraction, PUBLIC, PRIVATE), index=ids)


def usage_split(usage: pd.Series) -> pd.Series:
    """Normalise a Kaggle-style Usage column; unknown values become NaN."""
    return usage.astype(str).str.strip().str.lower().map(USAGE_VALUES)
