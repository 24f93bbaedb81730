"""Pure ranking rules: which entry is a team's best, and in which order teams stand.

Rules (as in Kaggle's): a better score ranks higher; equal scores go to the
earlier submission; entries without a finite score never rank. A problem scored by a
program with several leaderboard columns breaks equal primary scores by its secondary
columns first, in order (``tiebreak``), and only then by time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    submission_id: int
    submitted_at: datetime
    public: float | None
    private: float | None
    selected: bool = False
    public_details: dict | None = None  # a program's column values, per split
    private_details: dict | None = None


TieBreak = Callable[[dict | None], tuple]


def no_tiebreak(_details: dict | None) -> tuple:
    return ()


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def order_key(value: float, submitted_at: datetime, higher_is_better: bool,
              tiebreak: tuple = ()) -> tuple:  # fmt: skip
    return (-value if higher_is_better else value, *tiebreak, submitted_at)


def best(entries: Iterable[Entry], value_of, higher_is_better: bool,
         tiebreak: TieBreak = no_tiebreak, details_of=lambda e: None) -> Entry | None:  # fmt: skip
    """The entry with the best finite value; ties go to the secondary columns, then to the
    earlier submission."""
    ranked = [e for e in entries if finite(value_of(e))]
    if not ranked:
        return None

    def key(e: Entry) -> tuple:
        rank = order_key(value_of(e), e.submitted_at, higher_is_better, tiebreak(details_of(e)))
        return (*rank, e.submission_id)

    return min(ranked, key=key)


def finals(entries: Sequence[Entry], limit: int, higher_is_better: bool,
           tiebreak: TieBreak = no_tiebreak) -> tuple[list[Entry], bool]:  # fmt: skip
    """The entries the private board ranks: the team's selection, else its best public ones.

    Returns the entries and whether they were chosen automatically.
    """
    chosen = [e for e in entries if e.selected and finite(e.public)]
    if chosen:
        return chosen[:limit], False
    by_public = sorted(
        (e for e in entries if finite(e.public)),
        key=lambda e: (*order_key(e.public, e.submitted_at, higher_is_better,
                                  tiebreak(e.public_details)), e.submission_id),
    )  # fmt: skip
    return by_public[:limit], True


def blended(entry: Entry, public_weight: float | None) -> float | None:
    """The private score, or w·public + (1−w)·private when the problem blends them."""
    if public_weight is None:
        return entry.private
    if not (finite(entry.public) and finite(entry.private)):
        return None
    return public_weight * entry.public + (1 - public_weight) * entry.private
