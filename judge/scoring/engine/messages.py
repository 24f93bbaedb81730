"""Quoting the participant's own values in messages: short, visible, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence

EXAMPLES = 5


def quote(value: object, limit: int = 40) -> str:
    """``value`` in single quotes, cut to ``limit`` characters so a message stays readable."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + text.replace("\n", " ").replace("\r", " ") + "'"


def quoted_list(values: Sequence[object], total: int | None = None) -> str:
    """Up to five quoted values, then how many more there are."""
    shown = ", ".join(quote(v) for v in values[:EXAMPLES])
    rest = (len(values) if total is None else total) - min(len(values), EXAMPLES)
    return f"{shown} and {rest} more" if rest > 0 else shown


def plural(count: int, noun: str) -> str:
    """``1 row``, ``3 rows``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
