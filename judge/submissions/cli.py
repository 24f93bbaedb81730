"""``judge worker``: a Celery worker that scores submissions (with the periodic sweep)."""

from __future__ import annotations

import click
from celery.signals import worker_process_init
from flask import current_app
from flask.cli import with_appcontext

from judge.core.queue import MAINTENANCE_QUEUE, SCORING_QUEUE


@worker_process_init.connect
def _fresh_connections(**_kwargs) -> None:
    """A forked pool process must not reuse the parent's database connections."""
    from judge.core.extensions import db

    app = current_app._get_current_object() if current_app else None
    if app is not None:
        db.engine.dispose(close=False)


@click.command("worker")
@click.option(
    "-c", "--concurrency", type=int, default=None, help="Scoring processes (default: one per core)."
)
@click.option(
    "--beat/--no-beat",
    default=True,
    help="Also run the periodic sweep that re-queues stuck submissions.",
)
@click.option("--loglevel", default="info", show_default=True)
@click.option("--hostname", default=None, help="Worker name (default: celery@HOST).")
@with_appcontext
def worker(concurrency: int | None, beat: bool, loglevel: str, hostname: str | None) -> None:
    """Start a worker that scores submissions in the sandbox."""
    argv = ["worker", f"--loglevel={loglevel}", "-Q", f"{SCORING_QUEUE},{MAINTENANCE_QUEUE}",
            "--without-gossip", "--without-mingle"]  # fmt: skip
    if beat:
        argv.append("--beat")
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    current_app.extensions["celery"].worker_main(argv)
