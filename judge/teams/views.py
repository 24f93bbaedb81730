"""Team pages: create, join, leave, members."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("teams", __name__)
