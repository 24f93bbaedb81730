"""The command-line client: ``judge login``, ``competitions``, ``problems``, ``files``,
``download``, ``submit``, ``submissions``, ``final``, ``quota`` and ``leaderboard``.

These commands talk to a judge server over HTTP with a personal API token,
in the manner of the kaggle CLI. They never touch the local app's database.
``judge score --problem`` (judge.client.local) is added by each distribution's group:
the server's own ``score`` also scores without a problem.
"""

from __future__ import annotations

from .browse import competitions, download, files, problems
from .commands import leaderboard, login, submissions, submit
from .finals import final, quota

CLIENT_COMMANDS = (
    login, competitions, problems, files, download, submit, submissions, final, quota, leaderboard,
)  # fmt: skip
