"""The client's messages in the user's language, from the server's own catalogs.

``--lang`` wins, else the locale of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG):
Korean when it starts with ``ko``, English otherwise. The same language goes to the
server as Accept-Language, so its messages match. ``--help`` follows the same choice:
commands made with :func:`command` and :func:`group` keep their help texts (marked with
``N_``) as written and translate them only when help is shown, after ``--lang`` is read.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
from collections.abc import Iterator
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
    help=N_("The language of messages and help (default: from LANG / LC_ALL)."),
)


# click's own help texts, translated where they are shown (see Formatter and Localized)
CLICK_TEXTS = (N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
               N_("Show the version and exit."))  # fmt: skip


class Formatter(click.HelpFormatter):
    """Section titles and the usage prefix in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or f"{_('Usage:')} ")

    def section(self, name: str):
        return super().section(_(name))


class Context(click.Context):
    formatter_class = Formatter


@contextlib.contextmanager
def _translated(items: list) -> Iterator[None]:
    """Give each item's ``help`` and ``short_help`` in the chosen language, for a while."""
    saved = [(item, name, getattr(item, name)) for item in items
             for name in ("help", "short_help") if getattr(item, name, None)]  # fmt: skip
    for item, name, text in saved:
        setattr(item, name, _(inspect.cleandoc(text)))
    try:
        yield
    finally:
        for item, name, text in saved:
            setattr(item, name, text)


class Localized(click.Command):
    """A command whose help, short help and options' help show in the chosen language."""

    context_class = Context

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated([self]):
            return super().get_short_help_str(limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated([self]):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self.get_params(ctx)):
            super().format_options(ctx, formatter)


class Group(Localized, click.Group):
    command_class = Localized
    group_class = type  # its subgroups are Groups too


class Prompted(click.Option):
    """An option whose prompt (marked with ``N_``) is asked in the chosen language."""

    def prompt_for_value(self, ctx: click.Context):
        written = self.prompt
        self.prompt = _(written) if written else written
        try:
            return super().prompt_for_value(ctx)
        finally:
            self.prompt = written


command = functools.partial(click.command, cls=Localized)
group = functools.partial(click.group, cls=Group)
