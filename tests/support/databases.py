"""Where the tests' data lives: SQLite files by default, PostgreSQL and Redis when configured.

``JUDGE_TEST_POSTGRES_URL`` (a role that may CREATE DATABASE) and ``JUDGE_TEST_REDIS_URL``
switch the suite to the production configuration (scripts/test runs it both ways).
Every database and Redis key this run creates carries a name unique to the run, so
several runs can share one server.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

POSTGRES_URL = os.environ.get("JUDGE_TEST_POSTGRES_URL") or None
REDIS_URL = os.environ.get("JUDGE_TEST_REDIS_URL") or None
PRODUCTION = bool(POSTGRES_URL and REDIS_URL)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _libpq(url: str) -> str:
    """psycopg takes the same URL without SQLAlchemy's driver name."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+')[0]}://{rest}"


class PostgresDatabases:
    """Databases on a shared server, named ``jt_<run>_<n>`` and dropped when done."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.run = f"jt_{os.getpid()}_{secrets.token_hex(3)}"
        self.template = f"{self.run}_template"
        self._numbers = itertools.count(1)
        self._admin = psycopg.connect(_libpq(server_url), autocommit=True)

    def url(self, name: str) -> str:
        return _with_database(self.server_url, name)

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of ``template``; returns its name."""
        name = f"{self.run}_{next(self._numbers)}"
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self._admin.execute(f'CREATE DATABASE "{name}"{copy}')
        return name

    def drop(self, name: str) -> None:
        """Drop, disconnecting anyone still there; a database that will not go is left to
        ``close()`` (dropping is cleanup, never a test's outcome)."""
        for _ in range(5):
            try:
                self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except psycopg.Error:
                time.sleep(0.2)

    def reusable(self, template: str) -> ReusableDatabase:
        return ReusableDatabase(self, template)

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            leftovers = self._admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (self.run + "_%",)
            ).fetchall()
            for (name,) in leftovers:
                self.drop(name)
        self._admin.close()


class ReusableDatabase:
    """One copy of the template for test after test, emptied by TRUNCATE between them
    and given back the rows the migrations seed (the first consent texts).

    Emptying takes a few milliseconds where a new copy takes a few hundred. If a test
    changed the schema (the migration tests) or left a lock behind, the copy is
    replaced by a fresh one instead.
    """

    RESET = "SET lock_timeout = '5s'; TRUNCATE {tables} RESTART IDENTITY CASCADE"
    STATE = (
        "SELECT (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables"
        " WHERE schemaname = 'public'), (SELECT string_agg(version_num, ',') FROM alembic_version)"
    )

    def __init__(self, databases: PostgresDatabases, template: str) -> None:
        self.databases = databases
        self.template = template
        self.name = databases.create(template=template)
        with self._connect() as connection:
            self.expected = connection.execute(self.STATE).fetchone()
            tables = [t for t in self.expected[0].split(",") if t != "alembic_version"]
            self.seeds = self._seeds(connection, tables)
        self.reset_sql = self.RESET.format(tables=", ".join(f'"{t}"' for t in tables))

    @staticmethod
    def _seeds(connection: psycopg.Connection, tables: list[str]) -> list[tuple[str, list]]:
        """(INSERT statement, rows) of every table the migrations put rows in."""
        seeds = []
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            rows = cursor.fetchall()
            if rows:
                columns = ", ".join(f'"{c.name}"' for c in cursor.description)
                marks = ", ".join(["%s"] * len(cursor.description))
                seeds.append((f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows))
                seeds.append((f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                              f' (SELECT max(id) FROM "{table}"))', [()]))  # fmt: skip
        return seeds

    def _reseed(self, connection: psycopg.Connection) -> None:
        with connection.cursor() as cursor:
            for statement, rows in self.seeds:
                cursor.executemany(statement, rows)

    @property
    def url(self) -> str:
        return self.databases.url(self.name)

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(_libpq(self.url), autocommit=True)

    def reset(self) -> None:
        try:
            with self._connect() as connection:
                if connection.execute(self.STATE).fetchone() == self.expected:
                    connection.execute(self.reset_sql)
                    self._reseed(connection)
                    return
        except psycopg.Error:
            pass
        self.databases.drop(self.name)
        self.name = self.databases.create(template=self.template)


class RedisBroker:
    """The configured Redis, with every key of this run under one prefix."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"judge-test-{os.getpid()}-{secrets.token_hex(3)}:"

    def settings(self) -> dict[str, object]:
        """For create_app(config): the broker, and login and sign-up counts under keys of
        this app's own (each test starts with no failed logins)."""
        return {"BROKER_URL": self.url, "BROKER_TRANSPORT_OPTIONS": self.options(),
                **self.limits()}  # fmt: skip

    def environment(self) -> dict[str, str]:
        """For JUDGE_* variables of a server process."""
        return {"BROKER_URL": self.url, "BROKER_TRANSPORT_OPTIONS": json.dumps(self.options()),
                **self.limits()}  # fmt: skip

    def limits(self) -> dict[str, str]:
        prefix = f"{self.prefix}limits-{secrets.token_hex(4)}:"
        return {"RATELIMIT_STORAGE_URI": self.url, "RATELIMIT_KEY_PREFIX": prefix}

    def options(self) -> dict[str, str]:
        return {"global_keyprefix": self.prefix}

    def close(self) -> None:
        import redis

        with contextlib.suppress(redis.RedisError), redis.Redis.from_url(self.url) as client:
            for key in client.scan_iter(match=self.prefix + "*", count=1000):
                client.delete(key)
