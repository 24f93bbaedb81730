"""Turn submissions and scores into chart series (plain lists, ready for JSON).

Days are the competition's local days, so a submission at 01:00 in Seoul counts for
that Seoul day, whatever the server's clock says.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Series:
    labels: list[str]
    values: list[float | None]

    def as_dict(self) -> dict:
        return {"labels": self.labels, "values": self.values}


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def per_day(moments: Iterable[datetime], tz: str) -> Series:
    """How many happened on each local day, from the first day to the last (zeros kept)."""
    counts = Counter(local_day(m, tz) for m in moments)
    if not counts:
        return Series([], [])
    days = _days(min(counts), max(counts))
    return Series([d.isoformat() for d in days], [counts.get(d, 0) for d in days])


def best_over_time(scored: Iterable[tuple[datetime, float]], tz: str,
                   higher_is_better: bool) -> Series:  # fmt: skip
    """The best score reached by the end of each local day."""
    by_day: dict[date, list[float]] = {}
    for moment, value in scored:
        if value is not None and math.isfinite(value):
            by_day.setdefault(local_day(moment, tz), []).append(value)
    if not by_day:
        return Series([], [])
    pick = max if higher_is_better else min
    best, values = None, []
    days = _days(min(by_day), max(by_day))
    for day in days:
        if day in by_day:
            today = pick(by_day[day])
            best = today if best is None else pick(best, today)
        values.append(best)
    return Series([d.isoformat() for d in days], values)


def distribution(values: Sequence[float], bins: int = 10) -> Series:
    """A histogram of the scores: ``bins`` equal ranges from the lowest to the highest."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return Series([], [])
    low, high = min(finite), max(finite)
    if low == high:
        return Series([_fmt(low)], [len(finite)])
    width = (high - low) / bins
    counts = [0] * bins
    for v in finite:
        counts[min(int((v - low) / width), bins - 1)] += 1
    labels = [f"{_fmt(low + i * width)}–{_fmt(low + (i + 1) * width)}" for i in range(bins)]
    return Series(labels, counts)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def score_history(scored: Iterable[tuple[datetime, float]], tz: str) -> Series:
    """Each scored submission in time order, labelled with its local date and time."""
    points = sorted((m, v) for m, v in scored if v is not None and math.isfinite(v))
    labels = [m.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M") for m, _ in points]
    return Series(labels, [v for _, v in points])
