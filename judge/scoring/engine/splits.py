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
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .forked import forked

if TYPE_CHECKING:  # numpy and pandas are imported by the functions that use them, so that
    # ``judge score`` can start its sandbox before paying for them (SplitMethod is light)
    import numpy as np
    import pandas as pd
    import pyarrow as pa


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
#: From this many ids on the split hashes them in two processes: 1M ids take 0.65 s of one
#: core, and a fork costs a few milliseconds.
FORKED_HASH_IDS = 100_000


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


def fraction_sides(ids: Iterable[str], salt: str, fraction: float) -> pd.Categorical:
    """:func:`fraction_split`'s sides alone, in the ids' order: no index of the ids to build
    (a quarter of a second for 1M ids), and categories rather than a text per row (a fifth
    of a second to make, and as much to store)."""
    import numpy as np
    import pandas as pd

    public = _keyed_hashes(salt.encode(), _utf8(ids)) < np.uint64(fraction * _SCALE)
    return pd.Categorical.from_codes(public.astype(np.int8), categories=[PRIVATE, PUBLIC])


def _texts(ids: Iterable[str]) -> list[str]:
    import pandas as pd

    if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        return ids
    return ids.astype(str).tolist() if isinstance(ids, pd.Series) else [str(i) for i in ids]


def _utf8(ids: Iterable[str]) -> pa.LargeStringArray:
    """The ids as the text :func:`_texts` gives, in one Arrow array (UTF-8 bytes and 64-bit
    offsets): hashed without a Python string per id (a pandas column of text is already
    one), and read by a forked child without copying a page of this process."""
    import pandas as pd
    import pyarrow as pa

    texts = ids.astype(str) if isinstance(ids, pd.Series) else _texts(ids)
    values = pa.array(texts, type=pa.large_string())
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _keyed_hashes(key: bytes, values: pa.LargeStringArray) -> np.ndarray:
    """``_keyed_hash`` of every id, as big-endian 64-bit integers read at once. The key's block
    is compressed once and the state copied per id; from ``FORKED_HASH_IDS`` ids on, a forked
    child hashes the second half on another core while this process hashes the first."""
    import numpy as np

    keyed = hashlib.blake2b(key=key, digest_size=8)
    _, offsets_buffer, data = values.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[values.offset :][: len(values) + 1]
    text = memoryview(data if data is not None else b"")
    if len(values) < FORKED_HASH_IDS or _cores() < 2:
        digests = _digests(keyed, text, offsets)
    else:
        half = len(values) // 2
        with forked(_digests, keyed, text, offsets[half:]) as second:
            digests = _digests(keyed, text, offsets[: half + 1]) + second()
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


def _digests(keyed: hashlib.blake2b, text: memoryview, offsets: np.ndarray) -> bytes:
    """The digests of the ids between consecutive ``offsets`` of ``text``: each process makes
    its own list of bounds, so that none writes to pages it shares with the other."""
    bounds = offsets.tolist()

    def digest(start: int, end: int, copy=keyed.copy) -> bytes:
        mac = copy()
        mac.update(text[start:end])
        return mac.digest()

    return b"".join(map(digest, bounds, bounds[1:]))


def _cores() -> int:
    """The cores this process may use; 1 off Linux (no fork on Windows, and macOS warns
    against forking a process with threads): the split then hashes in one process."""
    return len(os.sched_getaffinity(0)) if sys.platform == "linux" else 1


def all_split(ids: Iterable[str]) -> pd.Series:
    """'both' for each id: every row scores the public and the private board alike."""
    import pandas as pd

    texts = _texts(ids)
    return pd.Series([BOTH] * len(texts), index=texts, dtype=object)


def usage_split(usage: pd.Series) -> pd.Series:
    """Normalise a Kaggle-style Usage column; unknown values become NaN."""
    return usage.astype(str).str.strip().str.lower().map(USAGE_VALUES)
