"""Team names people can read and tell apart.

A name is shown on public leaderboards, so it must not hide text (bidi
overrides, zero-width characters, Hangul fillers and other blanks), bury its
neighbours under stacked accents, or pass for another team's name with
look-alike letters (Cyrillic "а" for Latin "a", Armenian "օ" for "o", full-width
"Ｔ"). :func:`clean` normalises a name (NFKC, Hangul compatibility jamo such as "ㅋ"
kept as typed) or refuses it: also combining marks on letters of scripts that need
none once composed ("i" with a combining dot for "i"), and conjoining Hangul jamo that
compose into no syllable. :func:`looks_alike` compares two names by Unicode's
confusables skeleton (UTS #39, computed by ICU's spoof checker), case and accents on
Latin, Greek and Cyrillic letters ignored, after :data:`EXTRA_LOOK_ALIKES`.
"""

from __future__ import annotations

import re
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
#: Scripts whose letters need no combining mark once composed (NFC); Common covers digits
#: and punctuation. Thai, Devanagari and other scripts that need marks are not listed.
UNMARKED_SCRIPTS = {"Latn", "Grek", "Cyrl", "Hang", "Hani", "Zyyy"}
#: Scripts whose accents are ignored when names are compared ("Café" passes for "Cafe").
ACCENTED_SCRIPTS = {"Latn", "Grek", "Cyrl"}
#: Conjoining Hangul jamo; a proper sequence composes into a syllable under NFC.
LOOSE_JAMO = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
#: Hangul compatibility jamo ("ㅋㅋ"), which NFKC would turn into conjoining jamo.
COMPATIBILITY_JAMO = re.compile("([\u3131-\u318e]+)")
#: Look-alikes Unicode's confusables data lacks (its skeleton keeps them apart from Latin
#: letters), applied after NFKC — which turns Hangul "ㅣ" into "ᅵ" and "ㅇ" into "ᄋ" — and
#: before the skeleton. Full-width "ｌ" (NFKC) and "〇" (the skeleton) are already caught.
EXTRA_LOOK_ALIKES = str.maketrans({
    "\u1175": "l",  # HANGUL JUNGSEONG I, from the compatibility letter ㅣ (U+3163)
    "\u4e28": "l",  # 丨 CJK UNIFIED IDEOGRAPH-4E28
    "\u110b": "o",  # HANGUL CHOSEONG IEUNG, from the compatibility letter ㅇ (U+3147)
    "\u25cb": "o",  # ○ WHITE CIRCLE
})  # fmt: skip


def clean(name: str | None) -> str:
    """The name normalised with its spaces collapsed, or :class:`Invalid` saying what is
    wrong."""
    name = " ".join(_normalise(name or "").split())
    if any(_invisible(char) for char in name):
        raise Invalid(
            _("A team name cannot contain invisible or control characters."), field="name"
        )
    if LOOSE_JAMO.search(name):
        raise Invalid(
            _("A team name cannot contain Hangul jamo that form no syllable; type whole "
              "syllables."),
            field="name",
        )  # fmt: skip
    if _mark_on_unmarked_script(name):
        raise Invalid(
            _("A team name cannot add combining marks to Latin, Greek, Cyrillic, Hangul or "
              "Chinese characters, digits or symbols; type the accented letter itself."),
            field="name",
        )  # fmt: skip
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


def _normalise(name: str) -> str:
    """NFKC, except that Hangul compatibility jamo stay as typed."""
    parts = COMPATIBILITY_JAMO.split(name)  # odd indexes: the jamo
    return "".join(part if i % 2 else unicodedata.normalize("NFKC", part)
                   for i, part in enumerate(parts))  # fmt: skip


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


def _script(char: str) -> str:
    return icu.Script.getScript(char).getShortName()


def _marked_bases(text: str) -> list[tuple[int, str]]:
    """Each combining mark's index and the script of the letter it sits on ("" if none)."""
    marked, base = [], ""
    for index, char in enumerate(text):
        if _is_mark(char):
            marked.append((index, base))
        else:
            base = _script(char)
    return marked


def _mark_on_unmarked_script(name: str) -> bool:
    return any(base in UNMARKED_SCRIPTS or not base for _, base in _marked_bases(name))


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


def _unaccented(text: str) -> str:
    """The text without the combining marks on its Latin, Greek and Cyrillic letters."""
    text = unicodedata.normalize("NFD", text)
    accents = {index for index, base in _marked_bases(text) if base in ACCENTED_SCRIPTS}
    return "".join(char for index, char in enumerate(text) if index not in accents)


def skeletons(name: str) -> frozenset[str]:
    """What a name looks like: the UTS #39 skeleton of the name as written (where "I" passes
    for "l"), and of its lower- and upper-case forms, folded after the mapping (so that
    "kaist vision", "KAIST VlSlON" and Cherokee "Ꮩ" for "V" all meet "KAIST Vision");
    accents and :data:`EXTRA_LOOK_ALIKES` go first ("KAIST Visiọn", "KA丨ST Vision")."""
    written = _unaccented(unicodedata.normalize("NFKC", name).translate(EXTRA_LOOK_ALIKES))
    return frozenset({_skeleton(written), _skeleton(written.casefold()).casefold(),
                      _skeleton(written.upper()).casefold()})  # fmt: skip


def looks_alike(a: str, b: str) -> bool:
    """Whether two names would pass for each other on a leaderboard."""
    return not skeletons(a).isdisjoint(skeletons(b))
