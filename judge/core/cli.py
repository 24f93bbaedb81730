"""The ``judge`` command: a Flask CLI group (run, db upgrade, and judge's own commands)."""

from __future__ import annotations

from importlib import import_module

import click
from flask import Flask
from flask.cli import FlaskGroup

from judge.client import COMMAND_MODULES, client_command
from judge.client.i18n import lang_option


def _create_app() -> Flask:
    from judge import create_app

    return create_app()


class _Group(FlaskGroup):
    """Flask's group, with commands that are imported when they run and never load the app:
    ``judge score`` reads only the settings (loading every blueprint cost it seconds), and
    the HTTP client's commands (judge.client) never touch the local app."""

    LAZY = {"score": "judge.scoring.cli"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            return getattr(import_module(self.LAZY[name]), name)
        if name in COMMAND_MODULES:
            return client_command(name)
        return super().get_command(ctx, name)


@click.group(cls=_Group, create_app=_create_app, add_version_option=False)
@lang_option
def main() -> None:
    """judge: run AI challenge competitions."""


_as_program = False


def run() -> None:
    """The ``judge`` console script: :func:`main`, as a program of its own (see
    :func:`as_program`)."""
    global _as_program
    _as_program = True
    main()


def as_program() -> bool:
    """True when this process is the ``judge`` program, not a test runner invoking a
    command: a command that has written everything may then end with ``os._exit``."""
    return _as_program


def register_commands(app: Flask) -> None:
    from judge.accounts.cli import create_user, disable_user, enable_user, publish_consent
    from judge.bundles.cli import export_bundle_command, import_bundle_command
    from judge.demo.cli import demo
    from judge.scoring.program_cli import score_program
    from judge.submissions.cli import worker

    for command in (
        create_user,
        disable_user,
        enable_user,
        publish_consent,
        demo,
        worker,
        score_program,
        import_bundle_command,
        export_bundle_command,
    ):
        app.cli.add_command(command)
