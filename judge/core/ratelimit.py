"""Counting events in a sliding window, where every web worker and host sees the same counts.

The counts of failed logins and of sign-ups (judge.accounts.throttle) live in the
database by default, and in Redis when ``RATELIMIT_STORAGE_URI`` names one
(``redis://queue:6379/1``). An event is a ``member`` added under a ``key``; a count is
how many distinct members a key got within the window, so a key counts either every
event (a random member each time) or distinct things (say, accounts tried from one
address). Keys are built by callers from digests, never from emails or addresses.

Unlike a service, ``add`` writes at once, in a transaction of its own (as Redis does):
the attempt it counts usually fails, and its rollback must not undo the count. Call it
before the request writes anything else (SQLite has one writer at a time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import redis
import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Mapped, mapped_column

from judge.core.db import UTCDateTime
from judge.core.extensions import db


class ThrottleEvent(db.Model):
    """One counted event; rows older than the longest window are deleted as new ones come."""

    __tablename__ = "throttle_events"
    __table_args__ = (sa.Index("ix_throttle_events_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100))
    member: Mapped[str] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Counter(Protocol):
    def add(self, key: str, member: str, now: datetime) -> None: ...

    def count(self, key: str, now: datetime, window: timedelta) -> int: ...


class DatabaseCounter:
    def __init__(self, retention: timedelta) -> None:
        self.retention = retention

    def add(self, key: str, member: str, now: datetime) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                sa.delete(ThrottleEvent).where(ThrottleEvent.at < now - self.retention)
            )
            connection.execute(sa.insert(ThrottleEvent).values(key=key, member=member, at=now))

    def count(self, key: str, now: datetime, window: timedelta) -> int:
        query = sa.select(sa.func.count(sa.distinct(ThrottleEvent.member))).where(
            ThrottleEvent.key == key, ThrottleEvent.at > now - window
        )
        return db.session.scalar(query) or 0


class RedisCounter:
    """A sorted set per key: members scored by their latest time."""

    def __init__(self, url: str, prefix: str, retention: timedelta) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.retention = retention

    def add(self, key: str, member: str, now: datetime) -> None:
        name, stamp = self.prefix + key, now.timestamp()
        with self.client.pipeline() as pipe:
            pipe.zadd(name, {member: stamp})
            pipe.zremrangebyscore(name, "-inf", stamp - self.retention.total_seconds())
            pipe.expire(name, int(self.retention.total_seconds()) + 1)
            pipe.execute()

    def count(self, key: str, now: datetime, window: timedelta) -> int:
        since = now.timestamp() - window.total_seconds()
        return int(self.client.zcount(self.prefix + key, f"({since}", "+inf"))


def counter() -> Counter:
    return current_app.extensions["judge_counter"]


def init_app(app: Flask) -> None:
    """Keep counts as long as the longest window asks, where the settings say."""
    windows = (app.config["LOGIN_WINDOW_SECONDS"], app.config["SIGNUP_WINDOW_SECONDS"])
    retention = timedelta(seconds=max(windows))
    uri = app.config.get("RATELIMIT_STORAGE_URI")
    if not uri:
        app.extensions["judge_counter"] = DatabaseCounter(retention)
    elif uri.startswith(("redis://", "rediss://", "unix://")):
        prefix = app.config["RATELIMIT_KEY_PREFIX"]
        app.extensions["judge_counter"] = RedisCounter(uri, prefix, retention)
    else:
        raise ValueError(f"RATELIMIT_STORAGE_URI must be empty or a redis:// URL, not {uri!r}")
