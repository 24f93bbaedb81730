"""The client's messages in the user's language, from the server's own catalogs.

``--lang`` wins, else the locale of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG):
Korean when it starts with ``ko``, English otherwise. The same language goes to the
server as Accept-Language, so its messages match.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import click
from babel.support import NullTranslations, Translations

LANGUAGES = ("ko", "en")
VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
CHOSEN = "judge.client.lang"  # the --lang of this command line, in click's shared ctx.meta


def catalogs() -> Path:
    """judge/translations beside the server, or the copy inside the client's own package."""
    own = Path(__file__).with_name("translations")
    return own if own.is_dir() else Path(__file__).parent.parent / "translations"


def language() -> str:
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(CHOSEN):
        return ctx.meta[CHOSEN]
    for variable in VARIABLES:
        value = os.environ.get(variable, "")
        if value and value != "POSIX" and value.split(".")[0] != "C":
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


@functools.cache
def translations(lang: str) -> NullTranslations:
    return Translations.load(str(catalogs()), [lang])


def _(message: str, **values: object) -> str:
    """``message`` translated, with ``%(name)s`` placeholders filled from ``values``."""
    text = translations(language()).gettext(message)
    return text % values if values else text


def N_(message: str) -> str:
    """Marks a string for the catalogs; translated where it is shown."""
    return message


def _choose(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:  # on the group or the command: either may name it
        ctx.meta[CHOSEN] = value


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    expose_value=False,
    is_eager=True,
    callback=_choose,
    help="The language of messages (default: from LANG / LC_ALL).",
)
