"""Leaderboard columns of a scoring program that reports several numbers.

The first column is the primary one: it ranks. The others break ties, in order. Each has
its own direction and the number of decimals shown. Pure functions.
"""

from __future__ import annotations

import re
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

    def as_dict(self) -> dict:
        """As stored; ``hidden`` only where set (columns stored before it stay as they were)."""
        stored = asdict(self)
        if not self.hidden:
            del stored["hidden"]
        return stored


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
    return columns


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
    return Column(key, label, higher, precision, hidden)


DIRECTIONS = {"higher": True, "max": True, "lower": False, "min": False}


def from_lines(text: str) -> list[dict]:
    """Columns written one per line as ``key, label, higher|lower, precision[, hidden]`` (the
    web form's format; only the key is required), as data for :func:`parse`."""
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
        if len(parts) > 4 and parts[4]:
            item["hidden"] = parts[4].lower() == "hidden"
        raw.append(item)
    return raw


def to_lines(stored: list[dict] | None) -> str:
    """The stored columns in the web form's format."""
    return "\n".join(f"{c.key}, {c.label}, {'higher' if c.higher_is_better else 'lower'}, "
                     f"{c.precision}{', hidden' if c.hidden else ''}"
                     for c in load(stored))  # fmt: skip


def shown(stored: list[dict] | None, staff: bool) -> list[Column]:
    """The columns a reader sees: every one for staff, the others without hidden ones."""
    return [c for c in load(stored) if staff or not c.hidden]


def load(stored: list[dict] | None) -> list[Column]:
    """Columns as stored on a problem (already checked)."""
    return [Column(**item) for item in stored or []]


@dataclass(frozen=True)
class Picked:
    primary: float | None
    values: dict[str, float]  # the reported values of the known columns
    unknown: list[str]  # reported keys that match no column


def pick(scores: dict[str, float], columns: list[Column]) -> Picked:
    """Sort a program's reported numbers into the problem's columns."""
    known = {c.key for c in columns}
    return Picked(
        primary=scores.get(columns[0].key),
        values={c.key: scores[c.key] for c in columns if c.key in scores},
        unknown=sorted(set(scores) - known),
    )


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
