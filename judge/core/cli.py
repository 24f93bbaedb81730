"""The ``judge`` command: a Flask CLI group (run, db upgrade, and judge's own commands)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from judge import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """judge: run AI challenge competitions."""


def register_commands(app: Flask) -> None:
    from judge.accounts.cli import create_user
    from judge.client.commands import leaderboard, login, submissions, submit
    from judge.demo.cli import demo
    from judge.scoring.cli import score
    from judge.submissions.cli import worker

    for command in (create_user, demo, worker, score, login, submit, submissions, leaderboard):
        app.cli.add_command(command)
