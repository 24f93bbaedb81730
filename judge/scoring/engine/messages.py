"""Quoting the participant's own values in messages: short, visible, never a traceback."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

EXAMPLES = 5


def quote(value: object, limit: int = 40) -> str:
    """``value`` in single quotes, cut to ``limit`` characters so a message stays readable.

    Line breaks become spaces; other control and invisible characters (bidi overrides,
    zero-width joiners) are written as ``\\u202e`` so that they cannot reorder or hide
    the rest of the message.
    """
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + "".join(_visible(char) for char in text) + "'"


def _visible(char: str) -> str:
    if char in "\r\n":
        return " "
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


def quoted_list(values: Sequence[object], total: int | None = None) -> str:
    """Up to five quoted values, then how many more there are."""
    shown = ", ".join(quote(v) for v in values[:EXAMPLES])
    rest = (len(values) if total is None else total) - min(len(values), EXAMPLES)
    return f"{shown} and {rest} more" if rest > 0 else shown


def plural(count: int, noun: str) -> str:
    """``1 row``, ``3 rows``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
