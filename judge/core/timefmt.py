"""Showing UTC timestamps in a competition's timezone, and reading local input back."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import format_datetime


def is_timezone(name: str) -> bool:
    return name in available_timezones()


def local(value: datetime | None, tz_name: str) -> str:
    """Format ``value`` in ``tz_name`` with the zone named, e.g. '2026-12-01 18:00 (Asia/Seoul)'."""
    if value is None:
        return ""
    shown = value.astimezone(ZoneInfo(tz_name))
    return f"{format_datetime(shown.replace(tzinfo=None), 'yyyy-MM-dd HH:mm')} ({tz_name})"


def from_local(naive: datetime | None, tz_name: str) -> datetime | None:
    """A naive datetime typed in a form, read in the competition's zone, as UTC."""
    if naive is None:
        return None
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=ZoneInfo(tz_name))
    return naive.astimezone(UTC)
