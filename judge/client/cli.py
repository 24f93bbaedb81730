"""The light distribution's ``judge`` command (judge-client): the client's verbs only.

The server's own ``judge`` (judge.core.cli) carries the same verbs beside its
operator commands (db, worker, demo, …); its ``score`` does what this one does with
``--problem``, and also scores with a metric and split given on the command line.
"""

from __future__ import annotations

import click

from . import COMMAND_MODULES, client_command
from .i18n import N_, group, lang_option
from .local import score


@group(
    "judge",
    commands=(*map(client_command, COMMAND_MODULES), score),
    help=N_(
        "judge: enter AI challenge competitions from the command line.\n\n"
        "Exit status: 0 done; 1 the server refused or failed (message on stderr), a "
        "submission with --wait failed, or `judge score` could not score the file; 2 a wrong "
        "command line."
    ),
)
@lang_option
@click.version_option(package_name="judge-client", message="%(prog)s %(version)s")
def main() -> None:
    pass  # a group: its commands do the work
