"""Team names people can read and tell apart.

A name is shown on public leaderboards, so it must not hide text (bidi
overrides, zero-width characters), bury its neighbours under stacked accents,
or pass for another team's name with look-alike letters (Cyrillic "а" for
Latin "a", full-width "Ｔ", "0" for "O"). :func:`clean` normalises a name or
refuses it; :func:`skeleton` is what two names are compared by.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from judge.core.errors import Invalid

MIN_NAME, MAX_NAME = 2, 100
MAX_MARKS = 3  # combining marks in a row; Thai or Vietnamese need two at most
#: Categories never allowed: controls, format characters (bidi, zero-width), line and
#: paragraph separators, private use, surrogates, unassigned code points.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}

#: Applied after case folding, so each lower-case letter stands for its capital too
#: (Greek "η" is there for "Η", which passes for "H").
_LOOK_ALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "l", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "l", "κ": "k", "μ": "m",
    "ν": "n", "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c",
    # Latin and digits that pass for one another ("I" and "l" once case is ignored)
    "i": "l", "1": "l", "|": "l", "ı": "l", "0": "o", "ɡ": "g", "ʏ": "y",
}  # fmt: skip
_TABLE = str.maketrans(_LOOK_ALIKES)


def clean(name: str | None) -> str:
    """The name with its spaces collapsed, or :class:`Invalid` saying what is wrong."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if any(unicodedata.category(char) in HIDDEN for char in name):
        raise Invalid(
            _("A team name cannot contain invisible or control characters."), field="name"
        )
    if not MIN_NAME <= len(name) <= MAX_NAME:
        raise Invalid(
            _("A team name has %(a)d to %(b)d characters.", a=MIN_NAME, b=MAX_NAME), field="name"
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise Invalid(_("A team name needs at least one letter or digit."), field="name")
    if _longest_run_of_marks(name) > MAX_MARKS:
        raise Invalid(
            _("A team name cannot stack more than %(n)d accents on one letter.", n=MAX_MARKS),
            field="name",
        )
    return name


def _longest_run_of_marks(name: str) -> int:
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        longest = max(longest, run)
    return longest


def skeleton(name: str) -> str:
    """What a name looks like, roughly: compatibility forms folded (full-width letters),
    accents dropped, look-alike letters mapped to one, case ignored."""
    folded = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in folded if not unicodedata.category(c).startswith("M"))
    return " ".join(bare.casefold().translate(_TABLE).split())
