"""The command-line client: ``judge login``, ``competitions``, ``problems``, ``files``,
``download``, ``submit``, ``submissions``, ``final``, ``quota`` and ``leaderboard``.

These commands talk to a judge server over HTTP with a personal API token,
in the manner of the kaggle CLI. They never touch the local app's database.
``judge score --problem`` (judge.client.local) is added by each distribution's group:
the server's own ``score`` also scores without a problem.

Each command's module is imported only when the command runs (or help lists it): the
HTTP stack (requests, about 60 ms) is not paid by ``judge score`` nor by the web app,
which uses this package's score formatting.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

#: Each client command, by name, and the module of this package that defines it.
COMMAND_MODULES = {
    "login": "commands", "competitions": "browse", "problems": "browse", "files": "browse",
    "download": "browse", "submit": "commands", "submissions": "commands", "final": "finals",
    "quota": "finals", "leaderboard": "commands",
}  # fmt: skip


def client_command(name: str) -> click.Command:
    """The client command ``name`` (one of COMMAND_MODULES), its module imported now."""
    return getattr(import_module(f".{COMMAND_MODULES[name]}", __name__), name)
