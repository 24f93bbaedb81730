"""The task queue: Celery, with a SQLite broker by default and Redis in production.

Tasks carry only ids; the database row is the truth. Tasks are acknowledged
late and re-delivered if a worker dies, and every task is idempotent.
A task is published only once the transaction that wrote its row has committed: services
call ``after_commit`` beside the change, and the commit (a view's or a task's unit of work)
publishes; a rollback drops it.
"""

from __future__ import annotations

import json
import logging
import time
from queue import Empty
from typing import Any

import sqlalchemy as sa
from celery import Celery, Task
from flask import Flask, current_app
from kombu import transport as kombu_transport
from kombu.transport import sqlalchemy as kombu_sqla

log = logging.getLogger(__name__)

SCORING_QUEUE = "scoring"
MAINTENANCE_QUEUE = "maintenance"
SWEEP_SECONDS = 10.0


class _SQLiteChannel(kombu_sqla.Channel):
    """kombu's SQLAlchemy channel, taking the next message in one statement.

    kombu looks the queue up, then selects the message and updates it in a transaction of
    its own (0.6 ms of CPU a queue a poll); the queue's id is kept here and the oldest
    visible message is marked taken and read by one ``UPDATE ... RETURNING``. SQLite runs it
    under its write lock, and the outer ``visible`` test makes a second taker find nothing on
    a database that re-checks a row it waited for: two workers never take the same message.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_ids: dict[str, int] = {}

    def _get(self, queue: str) -> Any:
        if queue not in self._queue_ids:
            self._queue_ids[queue] = self._get_or_create(queue).id
        table = self.message_cls.__tablename__
        take = sa.text(
            f"UPDATE {table} SET visible = :no WHERE visible = :yes AND id = (SELECT id FROM "
            f"{table} WHERE queue_id = :queue AND visible = :yes ORDER BY timestamp, id LIMIT 1) "
            "RETURNING payload"
        )
        try:
            found = {"queue": self._queue_ids[queue], "yes": True, "no": False}
            payload = self.session.execute(take, found).scalar()
        finally:
            self.session.commit()
        if payload is None:
            raise Empty()
        return json.loads(payload)


class SQLiteTransport(kombu_sqla.Transport):
    """kombu's SQLAlchemy transport, polling every 5 ms while messages flow and every 50 ms
    once none has come for a second (kombu's default is every second).

    The worker takes its next job only on a poll: at 50 ms a pool process that finished a
    job waited 25 ms on average for the next one, a third of a small file's time.
    (A ``polling_interval`` transport option would reach ``create_engine`` and fail.)
    """

    Channel = _SQLiteChannel
    busy_polling_interval = 0.005
    idle_polling_interval = 0.05
    busy_seconds = 1.0
    polling_interval = idle_polling_interval
    _delivered_at = float("-inf")

    def drain_events(self, connection, timeout=None):
        busy = time.monotonic() - self._delivered_at < self.busy_seconds
        self.polling_interval = self.busy_polling_interval if busy else self.idle_polling_interval
        super().drain_events(connection, timeout)
        self._delivered_at = time.monotonic()


EMBEDDED_SCHEME = "judgesqla"
kombu_transport.TRANSPORT_ALIASES.setdefault(EMBEDDED_SCHEME, f"{__name__}:SQLiteTransport")


def _broker_settings(url: str, options: dict[str, Any]) -> dict[str, Any]:
    if url.startswith("sqla+"):  # kombu picks the transport by the URL's scheme
        return {"broker_url": EMBEDDED_SCHEME + url.removeprefix("sqla")}
    return {
        "broker_url": url,
        "broker_transport_options": {"visibility_timeout": 3600, **options},
    }


def celery_config(app: Flask) -> dict[str, Any]:
    return {
        **_broker_settings(app.config["BROKER_URL"], app.config["BROKER_TRANSPORT_OPTIONS"]),
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": SCORING_QUEUE,
        "task_routes": {  # mail never waits behind scoring jobs
            "judge.maintenance.*": {"queue": MAINTENANCE_QUEUE},
            "judge.mail.*": {"queue": MAINTENANCE_QUEUE},
            "judge.notices.*": {"queue": MAINTENANCE_QUEUE},
            "judge.notifications.*": {"queue": MAINTENANCE_QUEUE},
        },
        "broker_connection_retry_on_startup": True,
        "broker_connection_retry": True,  # a restarted broker: reconnect, however long it takes
        "broker_connection_max_retries": None,
        # A job running when the broker goes away finishes and records its result (the
        # database row, not the message, is the truth); cancelling it would waste the run.
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "worker_hijack_root_logger": False,
        "beat_schedule": {
            "sweep-stale-submissions": {
                "task": "judge.maintenance.sweep",
                "schedule": app.config.get("SWEEP_SECONDS", SWEEP_SECONDS),
            },
            "hand-over-unsent-mail": {
                "task": "judge.mail.sweep",
                "schedule": app.config.get("SWEEP_SECONDS", SWEEP_SECONDS),
            },
            "collect-unreferenced-files": {
                "task": "judge.maintenance.collect_files",
                "schedule": app.config["STORAGE_SWEEP_SECONDS"],
            },
            "carry-closed-phases": {  # a series' next phase takes the closed phase's entries
                "task": "judge.maintenance.carry_phases",
                "schedule": app.config.get("SWEEP_SECONDS", SWEEP_SECONDS),
            },
            "notification-reminders": {  # deadlines, daily limits reset, hand-in reminders
                "task": "judge.notifications.remind",
                "schedule": app.config["REMINDER_SECONDS"],
            },
        },
        "beat_schedule_filename": app.config.get("BEAT_SCHEDULE_FILE")
        or f"{app.instance_path}/celerybeat-schedule",
    }


def init_celery(app: Flask) -> Celery:
    """Create the Celery app bound to ``app``; tasks run inside its app context."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(celery_config(app))
    celery.set_default()
    app.extensions["celery"] = celery
    celery.flask_app = app  # for signal handlers that run outside a task (worker_process_init)
    import judge.finals.tasks
    import judge.mail.tasks
    import judge.notices.tasks
    import judge.notifications.tasks
    import judge.submissions.tasks  # noqa: F401

    return celery


def send(task: Task, *args: Any) -> bool:
    """Publish a task, giving up quickly when the broker is down (the sweep retries)."""
    try:
        task.apply_async(
            args=args,
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception:  # the row stays queued; the periodic sweep will publish it again
        log.warning("could not publish %s%s; the sweep will retry", task.name, args, exc_info=True)
        return False
    return True


_PENDING = "judge.queue.after_commit"


def after_commit(task_name: str, *args: Any, unsent: sa.Update | None = None) -> None:
    """Publish the task ``task_name(*args)`` once the current transaction commits.

    Nothing is sent if it rolls back. When the broker cannot be reached, the statement
    ``unsent`` marks the row for its periodic sweep (on a connection of its own: the
    session's transaction is over).
    """
    from judge.core.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even of nothing written, drops it
    session.info.setdefault(_PENDING, []).append((task_name, args, unsent))


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _publish_pending(session: sa.orm.Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    tasks = current_app.extensions["celery"].tasks
    for task_name, args, unsent in pending:
        if not send(tasks[task_name], *args) and unsent is not None:
            _mark_unsent(session, unsent)


def _mark_unsent(session: sa.orm.Session, statement: sa.Update) -> None:
    with session.get_bind().begin() as connection:
        connection.execute(statement)


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")
def _drop_pending(session: sa.orm.Session, transaction: sa.orm.SessionTransaction) -> None:
    """The outermost transaction ended without a commit (which runs first and empties it)."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
