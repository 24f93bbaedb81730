"""``judge worker``: a Celery worker that scores submissions (with the periodic sweep)."""

from __future__ import annotations

import logging

import click
from celery.signals import worker_process_init, worker_process_shutdown
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


@worker_process_init.connect
def _prewarm_scoring(**_kwargs) -> None:
    """Start this pool process's first scoring sandbox before its first job arrives."""
    from celery import current_app as celery_app

    from judge.scoring import runner
    from judge.scoring.setup import scoring_setup

    app = getattr(celery_app, "flask_app", None)
    if app is None:
        return
    try:
        with app.app_context():
            runner.prewarm(scoring_setup())
    except Exception:  # a pool process that cannot start must not crash: it scores cold
        logging.getLogger(__name__).exception("cannot pre-start a scoring sandbox")


@worker_process_shutdown.connect
def _discard_prewarmed(**_kwargs) -> None:
    """A pool process ends with os._exit (no atexit): clean up its waiting sandbox now."""
    from judge.scoring import runner

    runner.discard_waiting()


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
