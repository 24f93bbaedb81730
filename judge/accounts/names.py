"""What a person's name and affiliation may be: no control or invisible characters (they
hide or reorder text on the pages, certificates and mails that show them), spaces folded,
a length limit. Sign-up, the profile and the administrators' corrections all ask here."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from judge.core.errors import Invalid

MAX_NAME, MAX_AFFILIATION = 100, 200
# Control, format (bidi, zero-width), separator and surrogate characters: nobody types
# them in a name, and they hide or reorder text on the pages that show it.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def _hidden(text: str) -> bool:
    return any(unicodedata.category(char) in HIDDEN for char in text)


def clean_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise Invalid(_("Please enter your name."), field="name")
    if _hidden(value or ""):
        raise Invalid(_("A name cannot contain control or invisible characters."), field="name")
    if len(name) > MAX_NAME:
        raise Invalid(_("A name has at most %(n)d characters.", n=MAX_NAME), field="name")
    return name


def clean_affiliation(value: str | None) -> str:
    affiliation = " ".join((value or "").split())
    if _hidden(value or ""):
        raise Invalid(
            _("An affiliation cannot contain control or invisible characters."),
            field="affiliation",
        )
    if len(affiliation) > MAX_AFFILIATION:
        raise Invalid(
            _("An affiliation has at most %(n)d characters.", n=MAX_AFFILIATION),
            field="affiliation",
        )
    return affiliation
