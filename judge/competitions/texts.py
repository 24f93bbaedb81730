"""Checks for the short texts organizers and participants type into a competition's
consent and participant fields: a specific message for each way a text is refused."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from judge.core.errors import Invalid

LINE_BREAKS = frozenset("\n\r\t")


def has_control_characters(text: str, multiline: bool) -> bool:
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def clean(value: str | None, limit: int, field: str, *, multiline: bool = False) -> str:
    """``value`` stripped; Invalid (naming ``field``) when too long or with control characters."""
    text = (value or "").strip()
    if len(text) > limit:
        raise Invalid(
            _("Please keep this to at most %(limit)d characters (it has %(count)d).",
              limit=limit, count=len(text)),
            field=field,
        )  # fmt: skip
    if has_control_characters(text, multiline):
        raise Invalid(_("This text contains control characters; please retype it."), field=field)
    return text
