"""``judge worker``: a Celery worker that scores submissions (with the periodic sweep)."""

from __future__ import annotations

import logging
import os
import sys

import click
from celery.signals import (
    setup_logging,
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)
from flask import Flask, current_app
from flask.cli import with_appcontext

from judge.core import logs
from judge.core.queue import MAINTENANCE_QUEUE, SCORING_QUEUE
from judge.submissions import shutdown
from judge.submissions.heartbeat import Heartbeat

SCORE_TASK = "judge.score_submission"


@worker_process_init.connect
def _fresh_connections(**_kwargs) -> None:
    """A forked pool process must not reuse the parent's database connections."""
    from judge.core.extensions import db

    app = current_app._get_current_object() if current_app else None
    if app is not None:
        db.engine.dispose(close=False)


@worker_process_init.connect
def _prepare_shutdown(**_kwargs) -> None:
    """A pool process stops when its main process says so, within the grace period."""
    from celery import current_app as celery_app

    app = getattr(celery_app, "flask_app", None)
    if app is not None:
        shutdown.prepare_pool_process(float(app.config["WORKER_SHUTDOWN_SECONDS"]))


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


def _niceness(value: object) -> int:
    """JUDGE_WORKER_NICE as a niceness to add, 0 to 19; a clear refusal otherwise."""
    try:
        niceness = int(value)
    except (TypeError, ValueError):
        niceness = -1
    if not 0 <= niceness <= 19:
        raise click.ClickException(
            f"JUDGE_WORKER_NICE must be a whole number from 0 to 19, not {value}."
        )
    return niceness


def _install_worker_hooks(app: Flask, loglevel: str) -> None:
    """Logging, the job's log context and the heartbeat, for this worker process."""

    def configure_logging(loglevel=None, **_kwargs) -> None:
        # The real stderr, bound now: Celery then points sys.stderr at a logger of its own.
        logs.configure(app.config, level=loglevel, stream=sys.stderr)

    def start_heartbeat(sender, **_kwargs) -> None:
        heartbeat = Heartbeat(app, sender.hostname, int(sender.controller.concurrency or 1))
        app.extensions["judge_heartbeat"] = heartbeat
        heartbeat.start()

    def stop_heartbeat(**_kwargs) -> None:
        heartbeat = app.extensions.pop("judge_heartbeat", None)
        if heartbeat is not None:
            heartbeat.stop()

    def stop_pool_first(sender, **_kwargs) -> None:  # Celery's signal handlers are in place
        shutdown.tell_pool_first(lambda: _pool_pids(sender))

    configure_logging(loglevel.upper())  # now already: Celery warns before it sets up logging
    # Connected here rather than at import: Celery then leaves the root logger to us.
    setup_logging.connect(configure_logging, weak=False, dispatch_uid="judge-logging")
    worker_ready.connect(start_heartbeat, weak=False, dispatch_uid="judge-heartbeat")
    worker_shutdown.connect(stop_heartbeat, weak=False, dispatch_uid="judge-heartbeat-stop")
    worker_ready.connect(stop_pool_first, weak=False, dispatch_uid="judge-stop-pool")


def _pool_pids(consumer) -> list[int]:
    try:
        return list(consumer.pool.info["processes"])
    except AttributeError:  # the pool is gone already
        return []


@task_prerun.connect
def _job_log_context(task=None, args=None, **_kwargs) -> None:
    """Celery's own lines about a scoring task (e.g. "succeeded in 1.2s") carry its id."""
    if task is not None and task.name == SCORE_TASK and args:
        logs.bind(submission_id=args[0])


@task_postrun.connect
def _clear_log_context(**_kwargs) -> None:
    logs.clear()


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
    if str(current_app.config.get("LOG_FORMAT")).lower() == "json":
        argv.insert(0, "--quiet")  # no start-up banner: every line on stderr is JSON
    _install_worker_hooks(current_app._get_current_object(), loglevel)
    os.nice(_niceness(current_app.config["WORKER_NICE"]))  # the pool's processes inherit it
    current_app.extensions["celery"].worker_main(argv)
