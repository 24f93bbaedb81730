"""Which solution rows are public: a salted hash of the id, the solution's Usage column, or
every row on both sides (the split "all").

Pure functions. The salt is secret, so nobody outside can tell which ids
are public, and the split is stable: the same id lands on the same side
every time, whatever order the rows come in. They live with the engine so that the
client's ``judge score --problem`` splits a solution exactly as the platform does.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and pandas are imported by the functions that use them, so that
    # ``judge score`` can start its sandbox before paying for them (SplitMethod is light)
    import numpy as np
    import pandas as pd


class SplitMethod(enum.StrEnum):
    """How a problem's solution rows are split between the public and the private board."""

    FRACTION = "fraction"  # public rows chosen by a salted hash of the id
    USAGE_COLUMN = "usage_column"  # the solution's Usage column says Public/Private/Ignored
    ALL = "all"  # every row scores both boards: the private board equals the public one


USAGE_COLUMN = "Usage"
PUBLIC, PRIVATE, IGNORED = "public", "private", "ignored"
BOTH = "both"  # a row that scores the public and the private board (the split "all")
USAGE_VALUES = {"public": PUBLIC, "private": PRIVATE, "ignored": IGNORED}
_SCALE = float(2**64)


def _keyed_hash(key: bytes, row_id: str) -> int:
    """A 64-bit BLAKE2b MAC of the id under the secret salt."""
    return int.from_bytes(hashlib.blake2b(row_id.encode(), key=key, digest_size=8).digest(), "big")


def hash_fraction(salt: str, row_id: str) -> float:
    """A number in [0, 1) fixed by the salt and the id."""
    return _keyed_hash(salt.encode(), str(row_id)) / _SCALE


def fraction_split(ids: Iterable[str], salt: str, fraction: float) -> pd.Series:
    """'public' or 'private' for each id; about ``fraction`` of them public."""
    import pandas as pd

    texts = _texts(ids)
    return pd.Series(fraction_sides(texts, salt, fraction), index=texts)


def fraction_sides(ids: Iterable[str], salt: str, fraction: float) -> np.ndarray:
    """:func:`fraction_split`'s sides alone, in the ids' order: no index of the ids to build
    (a quarter of a second for 1M ids)."""
    import numpy as np

    texts = _texts(ids)
    public = _keyed_hashes(salt.encode(), texts) < np.uint64(fraction * _SCALE)
    sides = np.full(len(texts), PRIVATE, dtype=object)
    sides[public] = PUBLIC
    return sides


def _texts(ids: Iterable[str]) -> list[str]:
    import pandas as pd

    if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        return ids
    return ids.astype(str).tolist() if isinstance(ids, pd.Series) else [str(i) for i in ids]


def _keyed_hashes(key: bytes, texts: list[str]) -> np.ndarray:
    """``_keyed_hash`` of every id, about twice as fast: the key's block is compressed once
    and the state copied per id, and the digests are read as big-endian integers at once."""
    import numpy as np

    keyed = hashlib.blake2b(key=key, digest_size=8)

    def digest(text: str, copy=keyed.copy) -> bytes:
        mac = copy()
        mac.update(text.encode())
        return mac.digest()

    return np.frombuffer(b"".join(map(digest, texts)), dtype=">u8").astype(np.uint64)


def all_split(ids: Iterable[str]) -> pd.Series:
    """'both' for each id: every row scores the public and the private board alike."""
    import pandas as pd

    texts = _texts(ids)
    return pd.Series([BOTH] * len(texts), index=texts, dtype=object)


def usage_split(usage: pd.Series) -> pd.Series:
    """Normalise a Kaggle-style Usage column; unknown values become NaN."""
    return usage.astype(str).str.strip().str.lower().map(USAGE_VALUES)
