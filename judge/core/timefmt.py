"""Showing UTC timestamps in a competition's timezone, and reading local input back."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from judge.core.i18n import local_datetime


def is_timezone(name: str) -> bool:
    return name in available_timezones()


def local(value: datetime | None, tz_name: str) -> str:
    """``value`` in ``tz_name``, localized, with the zone named: 'Dec 1, 2026, 6:00 PM KST'."""
    return local_datetime(value, tz_name)


def from_local(naive: datetime | None, tz_name: str) -> datetime | None:
    """A naive datetime typed in a form, read in the competition's zone, as UTC."""
    if naive is None:
        return None
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=ZoneInfo(tz_name))
    return naive.astimezone(UTC)
