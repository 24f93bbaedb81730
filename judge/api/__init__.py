"""The REST API under /api/v1 and its OpenAPI document."""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    return None
