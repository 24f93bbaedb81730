"""The light distribution's ``judge`` command (judge-client): the client's verbs only.

The server's own ``judge`` (judge.core.cli) carries the same verbs beside its
operator commands (db, worker, demo, …); its ``score`` does what this one does with
``--problem``, and also scores with a metric and split given on the command line.
"""

from __future__ import annotations

import click

from . import CLIENT_COMMANDS
from .i18n import lang_option
from .local import score


@click.group("judge", commands=(*CLIENT_COMMANDS, score))
@lang_option
@click.version_option(package_name="judge-client", message="%(prog)s %(version)s")
def main() -> None:
    """judge: enter AI challenge competitions from the command line.

    Exit status: 0 done; 1 the server refused or failed (message on stderr), or a
    submission with --wait that failed; 2 a wrong command line.
    """
