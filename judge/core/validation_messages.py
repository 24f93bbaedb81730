"""The API's per-field validation messages (from marshmallow, in English) in the reader's language.

Fixed messages are looked up in the catalog; the few that carry a value are
matched by pattern and rebuilt from a translated template.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from judge.core.i18n import N_

FIXED = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid datetime."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid email address."),
    N_("Invalid type."),
    N_("Invalid input type."),
    N_("Unknown field."),
)

PATTERNS = (
    (re.compile(r"^Shorter than minimum length (?P<min>\S+)\.$"),
     N_("Shorter than minimum length %(min)s.")),
    (re.compile(r"^Longer than maximum length (?P<max>\S+)\.$"),
     N_("Longer than maximum length %(max)s.")),
    (re.compile(r"^Length must be between (?P<min>\S+) and (?P<max>\S+)\.$"),
     N_("Length must be between %(min)s and %(max)s.")),
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"),
     N_("Must be one of: %(choices)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+) "
                r"and less than or equal to (?P<max>\S+)\.$"),
     N_("Must be between %(min)s and %(max)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$"),
     N_("Must be at least %(min)s.")),
    (re.compile(r"^Must be less than or equal to (?P<max>\S+)\.$"),
     N_("Must be at most %(max)s.")),
)  # fmt: skip


def translate_message(message: str) -> str:
    for pattern, template in PATTERNS:
        found = pattern.match(message)
        if found:
            return _(template, **found.groupdict())
    return _(message)


def translate(messages: Any) -> Any:
    """The same nesting of dicts and lists, every string in the reader's language."""
    if isinstance(messages, str):
        return translate_message(messages)
    if isinstance(messages, dict):
        return {key: translate(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate(value) for value in messages]
    return messages
