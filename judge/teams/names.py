"""Team names people can read and tell apart.

A name is shown on public leaderboards, so it must not hide text (bidi
overrides, zero-width characters, Hangul fillers and other blanks), bury its
neighbours under stacked accents, or pass for another team's name with
look-alike letters (Cyrillic "а" for Latin "a", Armenian "օ" for "o", full-width
"Ｔ"). :func:`clean` normalises a name (NFKC) or refuses it; :func:`looks_alike`
compares two names by Unicode's confusables skeleton (UTS #39, computed by ICU's
spoof checker), case ignored.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import icu
from flask_babel import gettext as _

from judge.core.errors import Invalid

MIN_NAME, MAX_NAME = 2, 100
MAX_MARKS = 3  # combining marks in a row; Thai or Vietnamese need two at most
#: Categories never allowed: controls, format characters (bidi, zero-width), line and
#: paragraph separators, private use, surrogates, unassigned code points.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}
#: Blank glyphs that Unicode does not mark Default_Ignorable (the Hangul fillers are).
BLANKS = {"\u2800"}  # BRAILLE PATTERN BLANK


def clean(name: str | None) -> str:
    """The name in NFKC with its spaces collapsed, or :class:`Invalid` saying what is wrong."""
    name = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if any(_invisible(char) for char in name):
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


def _invisible(char: str) -> bool:
    return (
        unicodedata.category(char) in HIDDEN
        or char in BLANKS
        or icu.Char.hasBinaryProperty(char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)
    )


def _longest_run_of_marks(name: str) -> int:
    longest = run = 0
    for char in name:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        longest = max(longest, run)
    return longest


@cache
def _checker() -> icu.SpoofChecker:
    return icu.SpoofChecker()  # its skeleton is safe to compute from many threads


def _skeleton(text: str) -> str:
    return _checker().getSkeleton(0, text)


def skeletons(name: str) -> frozenset[str]:
    """What a name looks like: the UTS #39 skeleton of the name as written (where "I" passes
    for "l"), and of its lower- and upper-case forms, folded after the mapping (so that
    "kaist vision", "KAIST VlSlON" and Cherokee "Ꮩ" for "V" all meet "KAIST Vision")."""
    written = unicodedata.normalize("NFKC", name)
    return frozenset({_skeleton(written), _skeleton(written.casefold()).casefold(),
                      _skeleton(written.upper()).casefold()})  # fmt: skip


def looks_alike(a: str, b: str) -> bool:
    """Whether two names would pass for each other on a leaderboard."""
    return not skeletons(a).isdisjoint(skeletons(b))
