"""Leaderboard columns of a scoring program that reports several numbers.

The first column is the primary one: it ranks. The others break ties, in order. Each has
its own direction and the number of decimals shown. A *computed* column (Codabench's
``computation``) is not reported by the program: the platform computes it from other
columns' values (their average, sum, minimum or maximum) when a submission is scored.
Pure functions.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from judge.core.errors import Invalid

KEY = re.compile(r"^[\w@.\-]{1,64}$")
MAX_COLUMNS = 10


@dataclass(frozen=True)
class Column:
    key: str  # the name the program reports in scores.json / scores.txt
    label: str
    higher_is_better: bool = True
    precision: int = 4
    hidden: bool = False  # shown to organizers and the sponsor only (Codabench's hidden)
    computation: str | None = None  # one of COMPUTATIONS: computed, not reported
    inputs: tuple[str, ...] = ()  # the keys of the columns it is computed from

    def as_dict(self) -> dict:
        """As stored; ``hidden`` and the computation only where set (columns stored before
        them stay as they were)."""
        stored = asdict(self)
        if not self.hidden:
            del stored["hidden"]
        if self.computation is None:
            del stored["computation"], stored["inputs"]
        else:
            stored["inputs"] = list(self.inputs)
        return stored


#: Codabench's computations (its Column.computation), applied to the input columns' values.
COMPUTATIONS: dict[str, Callable[[list[float]], float]] = {
    "avg": statistics.fmean, "sum": math.fsum, "min": min, "max": max,
}  # fmt: skip


def parse(raw: object) -> list[Column]:
    """Columns from JSON-like data: a list of {key, label?, higher_is_better?, precision?}."""
    if not isinstance(raw, list) or not raw:
        raise Invalid(
            _("Give at least one leaderboard column; the first one ranks."), field="columns"
        )
    if len(raw) > MAX_COLUMNS:
        raise Invalid(
            _("At most %(count)d leaderboard columns.", count=MAX_COLUMNS), field="columns"
        )
    columns = [_column(item, number) for number, item in enumerate(raw, start=1)]
    keys = [c.key for c in columns]
    if len(set(keys)) != len(keys):
        raise Invalid(_("Each leaderboard column needs its own key."), field="columns")
    for number, column in enumerate(columns, start=1):
        _check_inputs(column, number, columns)
    return columns


def _check_inputs(column: Column, number: int, columns: list[Column]) -> None:
    """A computed column's inputs are other columns that the program reports; a column
    teams see is computed from columns they see."""
    reported = {c.key for c in columns if c.computation is None}
    wrong = [key for key in column.inputs if key not in reported]
    if wrong:
        raise Invalid(_("Leaderboard column %(number)d: it is computed from %(keys)s, which "
                        "must be other columns that the program reports (not computed ones).",
                        number=number, keys=", ".join(wrong)), field="columns")  # fmt: skip
    hidden = [c.key for c in columns if c.hidden and c.key in column.inputs]
    if hidden and not column.hidden:  # max(a, h) above a is h; 2 * avg(a, h) - a is h
        raise Invalid(_("Leaderboard column %(number)d is shown to teams but computed from the "
                        "hidden column %(keys)s: they could work the hidden values out from it. "
                        "Hide it too (the first column is always shown) or show %(keys)s.",
                        number=number, keys=", ".join(hidden)), field="columns")  # fmt: skip


def _computation(item: dict, number: int) -> tuple[str | None, tuple[str, ...]]:
    """The column's computation and the keys of its inputs (none for a reported column)."""
    computation, inputs = item.get("computation"), item.get("inputs")
    if computation is None and not inputs:
        return None, ()
    if computation not in COMPUTATIONS:
        raise Invalid(_("Leaderboard column %(number)d: the computation must be one of "
                        "%(names)s.", number=number, names=", ".join(COMPUTATIONS)),
                      field="columns")  # fmt: skip
    if not isinstance(inputs, list) or not inputs or not all(isinstance(k, str) for k in inputs):
        raise Invalid(_("Leaderboard column %(number)d: a computed column needs the keys of "
                        "the columns it is computed from.", number=number),
                      field="columns")  # fmt: skip
    return computation, tuple(k.strip() for k in inputs)


def _column(item: object, number: int) -> Column:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        raise Invalid(
            _("Leaderboard column %(number)d needs a key.", number=number), field="columns"
        )
    key = item["key"].strip()
    if not KEY.match(key):
        raise Invalid(
            _(
                "Leaderboard column %(number)d: “%(key)s” is not a usable key (letters, "
                "digits, _ @ . - ; at most 64).",
                number=number,
                key=key,
            ),
            field="columns",
        )
    precision = item.get("precision", 4)
    if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 10:
        raise Invalid(
            _("Leaderboard column %(number)d: precision must be 0 to 10 decimals.", number=number),
            field="columns",
        )
    higher = item.get("higher_is_better", True)
    if not isinstance(higher, bool):
        raise Invalid(
            _(
                "Leaderboard column %(number)d: higher_is_better must be true or false.",
                number=number,
            ),
            field="columns",
        )
    hidden = item.get("hidden", False)
    if not isinstance(hidden, bool) or (hidden and number == 1):
        raise Invalid(_("Leaderboard column %(number)d: hidden must be true or false, and the "
                        "first column, which ranks, is always shown.", number=number),
                      field="columns")  # fmt: skip
    label = str(item.get("label") or key).strip()[:100]
    return Column(key, label, higher, precision, hidden, *_computation(item, number))


DIRECTIONS = {"higher": True, "max": True, "lower": False, "min": False}


def from_lines(text: str) -> list[dict]:
    """Columns written one per line as ``key, label, higher|lower, precision[, hidden][,
    max of key1 key2]`` (the web form's format; only the key is required; the last part makes
    a computed column), as data for :func:`parse`."""
    raw = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in line.split(",")]
        if not parts[0]:
            continue
        item: dict = {"key": parts[0], "label": parts[1] if len(parts) > 1 else ""}
        if len(parts) > 2 and parts[2]:
            if parts[2].lower() not in DIRECTIONS:
                raise Invalid(_("Line %(number)d: the direction must be “higher” or “lower”.",
                                number=number), field="columns")  # fmt: skip
            item["higher_is_better"] = DIRECTIONS[parts[2].lower()]
        if len(parts) > 3 and parts[3]:
            if not parts[3].isdigit():
                raise Invalid(_("Line %(number)d: the precision must be a whole number.",
                                number=number), field="columns")  # fmt: skip
            item["precision"] = int(parts[3])
        for flag in filter(None, parts[4:]):
            _flag(item, flag, number)
        raw.append(item)
    return raw


COMPUTED = re.compile(r"^(\w+)\s+of\s+(.+)$", re.IGNORECASE)


def _flag(item: dict, flag: str, number: int) -> None:
    """``hidden``, or a computation such as ``max of acc_1 acc_2``."""
    if flag.lower() == "hidden":
        item["hidden"] = True
        return
    found = COMPUTED.match(flag)
    if found is None or found[1].lower() not in COMPUTATIONS:
        raise Invalid(_("Line %(number)d: “%(part)s” is neither “hidden” nor a computation "
                        "such as “max of acc_1 acc_2” (%(names)s).", number=number,
                        part=flag[:80], names=", ".join(COMPUTATIONS)),
                      field="columns")  # fmt: skip
    item["computation"], item["inputs"] = found[1].lower(), found[2].split()


def to_lines(stored: list[dict] | None) -> str:
    """The stored columns in the web form's format."""
    return "\n".join(_line(c) for c in load(stored))


def _line(column: Column) -> str:
    direction = "higher" if column.higher_is_better else "lower"
    parts = [column.key, column.label, direction, str(column.precision)]
    if column.hidden:
        parts.append("hidden")
    if column.computation:
        parts.append(f"{column.computation} of {' '.join(column.inputs)}")
    return ", ".join(parts)


def shown(stored: list[dict] | None, staff: bool) -> list[Column]:
    """The columns a reader sees: every one for staff, the others without hidden ones."""
    return [c for c in load(stored) if staff or not c.hidden]


def load(stored: list[dict] | None) -> list[Column]:
    """Columns as stored on a problem (already checked)."""
    return [Column(**{**item, "inputs": tuple(item.get("inputs") or ())}) for item in stored or []]


@dataclass(frozen=True)
class Picked:
    primary: float | None
    values: dict[str, float]  # the known columns' values, reported or computed
    unknown: list[str]  # reported keys that match no column


def pick(scores: dict[str, float], columns: list[Column]) -> Picked:
    """Sort a program's reported numbers into the problem's columns, and compute the
    computed ones (a value the program wrote for one of those is not used)."""
    known = {c.key for c in columns}
    values = {c.key: scores[c.key] for c in columns if c.key in scores and not c.computation}
    for column in columns:
        if column.computation and (value := compute(column, values)) is not None:
            values[column.key] = value
    return Picked(
        primary=values.get(columns[0].key),
        values={c.key: values[c.key] for c in columns if c.key in values},
        unknown=sorted(set(scores) - known),
    )


def compute(column: Column, values: dict[str, float]) -> float | None:
    """A computed column's value from its inputs' values; None (absent, never a zero) when
    any input is missing or the value is too large for a float (a sum past 1.8e308)."""
    inputs = [values.get(key) for key in column.inputs]
    if not inputs or any(value is None for value in inputs):
        return None
    try:
        value = float(COMPUTATIONS[column.computation](inputs))
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def tie_breakers(values: dict[str, float] | None, columns: list[Column]) -> tuple:
    """A sort key from the secondary columns (better first; a missing value sorts last)."""
    key = []
    for column in columns[1:]:
        value = (values or {}).get(column.key)
        if value is None:
            key.append((1, 0.0))
        else:
            key.append((0, -value if column.higher_is_better else value))
    return tuple(key)
