"""Notifications: one row per person and event, shown under the bell and, if wanted, mailed."""
