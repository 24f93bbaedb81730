"""Database helpers: the declarative base, UTC timestamps, enum columns, units of work."""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, Response, after_this_request, current_app
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a lost, refused or restarting database connection raises (SQLite: a locked file).
CONNECTION_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


@sa.event.listens_for(sa.Table, "after_parent_attach")
def _ids_never_reused(table: sa.Table, parent: Any) -> None:
    """Every table of ours is AUTOINCREMENT on SQLite (migration 0007 rebuilt the old ones).

    Without it SQLite hands out max(id)+1, so deleting the newest row gives its id to the
    next one, and URLs, audit entries and queued tasks naming it point at another row.
    PostgreSQL's sequences never go back; there the option means nothing.
    """
    if parent is Base.metadata:
        table.dialect_kwargs["sqlite_autoincrement"] = True


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC timestamps")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL and a busy timeout let the web server and the workers share one SQLite file."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll it back and delete files it stored.

    Views and tasks wrap each state change in one of these; services only flush.
    """
    from judge.core import storage
    from judge.core.extensions import db

    with storage.track_new_files() as new_files:
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            for path in new_files:
                path.unlink(missing_ok=True)
            raise


def commit_after_response(change: Callable[[], None], what: str) -> None:
    """Run ``change`` in a unit of work of its own once the answer is sent.

    For bookkeeping such as "last used" dates: a write transaction in the request would
    wait for the database's write lock before the request even starts its work (on
    SQLite, under a deadline surge, that wait was most of an upload's latency). A
    failure is logged as "could not ``what``", never shown to the caller.
    """
    app = current_app._get_current_object()

    @after_this_request
    def _schedule(response: Response) -> Response:
        response.call_on_close(lambda: _commit_quietly(app, change, what))
        return response


def _commit_quietly(app: Flask, change: Callable[[], None], what: str) -> None:
    try:
        with app.app_context(), unit_of_work():
            change()
    except Exception:
        log.warning("could not %s", what, exc_info=True)


def committed_with_retry(change: Callable[[], T], seconds: float, what: str) -> T:
    """Run ``change`` in a unit of work; while the database is unreachable, wait and retry.

    For workers: a result already computed is not thrown away because the database
    restarted. Gives up (re-raising) after ``seconds``. ``change`` must be safe to run
    again, as every guarded update in judge.submissions.lifecycle is.
    """
    deadline = time.monotonic() + seconds
    delay = 0.25
    while True:
        try:
            with unit_of_work():
                return change()
        except CONNECTION_ERRORS as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("%s: database unavailable (%s); retrying in %.1f s",
                        what, _first_line(exc), delay)  # fmt: skip
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def _first_line(exc: sa.exc.DBAPIError) -> str:
    """The driver's reason without the statement or its parameters (they may hold data)."""
    text = str(exc.orig or type(exc).__name__).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:200]
