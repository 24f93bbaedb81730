"""The one way a score is written for people: the web pages, the API's display fields and
this client all call ``score_text`` with the problem's number of decimals.

It lives with the client because the client installs alone (see client/pyproject.toml) and
the server may import it; it needs nothing but Python. Korean and English write numbers
alike (``1,234.50000``), so the text does not depend on the language.
"""

from __future__ import annotations

import math

DEFAULT_DECIMALS = 5


def score_text(value: float | None, decimals: int | None) -> str | None:
    """``value`` with exactly ``decimals`` decimals and thousands grouped; None when there is
    no score (or it is not a finite number)."""
    if value is None or not math.isfinite(value):
        return None
    places = DEFAULT_DECIMALS if decimals is None else decimals
    return f"{value:,.{places}f}"
