"""``judge import-bundle`` and ``judge export-bundle``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from judge.accounts.models import User
from judge.bundles import metric_program
from judge.bundles.exporting import export_problem
from judge.bundles.importing import import_bundle
from judge.bundles.reading import read
from judge.bundles.series_export import export_series
from judge.competitions import services as competitions
from judge.core.db import unit_of_work
from judge.core.errors import DomainError
from judge.core.extensions import db
from judge.problems import series
from judge.problems import services as problems


@click.command("import-bundle")
@click.argument("bundle_zip", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--competition", "slug", required=True, help="The competition to add it to.")
@click.option("--as", "email", default=None, help="Who imports it (default: a site admin).")
@click.option("--sponsor", "sponsor", default=None,
              help="The sponsor the problems belong to (created if missing).")  # fmt: skip
@with_appcontext
def import_bundle_command(bundle_zip: Path, slug: str, email: str | None,
                          sponsor: str | None) -> None:  # fmt: skip
    """Import a Codabench (version 2) or CodaLab (1.5, 1.8) bundle, or a Codabench task upload
    (task.yaml): one draft problem per task, or one problem with phases (a row per phase
    and task) when the bundle has several phases or a phase several tasks."""
    try:
        with tempfile.TemporaryDirectory(prefix="judge-bundle-") as tmp, unit_of_work():
            competition = competitions.get_competition(slug)
            done = import_bundle(read(bundle_zip, Path(tmp)), competition, _actor(email),
                                 sponsor)  # fmt: skip
            names = [(p.slug, p.title) for p in done.problems]
            made = (done.series.slug, done.series.title) if done.series else None
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if made is not None:
        click.echo(f"imported {made[0]} (a problem with phases): {made[1]}")
    for problem_slug, title in names:
        click.echo(f"imported {problem_slug}: {title}")
    for line in done.report:
        click.echo(f"  - {line}")


@click.command("export-bundle")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--competition", "slug", required=True)
@click.option("--problem", "problem_slug", default=None, help="A problem on its own.")
@click.option("--series", "series_slug", default=None,
              help="A problem with phases: all its phases and tasks in one bundle.")  # fmt: skip
@with_appcontext
def export_bundle_command(target: Path, slug: str, problem_slug: str | None,
                          series_slug: str | None) -> None:  # fmt: skip
    """Write a problem, or a problem with phases (with its hidden solutions), as a Codabench
    version 2 bundle."""
    if (problem_slug is None) == (series_slug is None):
        raise click.UsageError("Name either --problem or --series.")
    try:
        competition = competitions.get_competition(slug)
        if series_slug is not None:
            notes = export_series(series.get_series(competition, series_slug), target)
        else:
            problem = problems.get_problem_by_slug(competition, problem_slug or "")
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if series_slug is not None:
        click.echo(f"wrote {target}")
        for note in notes:
            click.echo(f"  - {note}")
        return
    export_problem(problem, target)
    click.echo(f"wrote {target}")
    if (refused := metric_program.refusal(problem)) is not None:
        click.echo(f"  - {refused}")


def _actor(email: str | None) -> User:
    query = sa.select(User).where(User.email == email) if email else (
        sa.select(User).where(User.is_admin.is_(True)).order_by(User.id))  # fmt: skip
    user = db.session.scalars(query).first()
    if user is None:
        raise click.ClickException("No such user; create one with judge create-user.")
    return user
