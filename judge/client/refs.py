"""Naming a problem on the command line: its id (``3``) or ``competition/problem`` slugs; and
the local files a command reads (``FILE``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import click

from .i18n import N_, _

if TYPE_CHECKING:  # the HTTP stack only when a command talks to the server
    from .http import Server

HELP = N_(
    "The problem: COMPETITION/PROBLEM (slugs, e.g. ai-innovation-2026/breast-cancer) or its id."
)


class ProblemRef(click.ParamType):
    """Checks the shape only; ``problem_id`` asks the server for a slug's id."""

    name = "COMPETITION/PROBLEM"

    def convert(self, value, param, ctx) -> str:
        text = str(value).strip()
        if text.isdigit() or _split(text):
            return text
        message = _("%(ref)s is not a problem: give COMPETITION/PROBLEM (slugs) or the "
                    "problem's id.", ref=repr(text))  # fmt: skip
        self.fail(message, param, ctx)


PROBLEM = ProblemRef()
FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


def _split(text: str) -> tuple[str, str] | None:
    competition, sep, problem = text.partition("/")
    if sep and competition and problem and "/" not in problem:
        return competition, problem
    return None


def find(server: Server, ref: str) -> dict:
    """The problem as the API lists it (id, slug, competition, title, metric, files, …)."""
    from .http import ClientError

    if ref.isdigit():
        return server.get(f"/api/v1/problems/{ref}")
    competition, slug = _split(ref) or ("", "")
    for problem in server.get(f"/api/v1/competitions/{quote(competition, safe='')}/problems"):
        if problem["slug"] == slug:
            return problem
    raise ClientError(
        _("The competition %(competition)s has no problem %(problem)s that you can see. "
          "List its problems with `judge problems list %(competition)s`.",
          competition=competition, problem=repr(slug))
    )  # fmt: skip


def problem_id(server: Server, ref: str) -> int:
    """The problem's id: as given, or looked up by its slugs (one request)."""
    return int(ref) if ref.isdigit() else find(server, ref)["id"]


def name(problem: dict) -> str:
    """``competition/problem``: what to type to name it again."""
    return f"{problem['competition']}/{problem['slug']}"
