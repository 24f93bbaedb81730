"""Problem pages: description, public files, solution upload for organizers and sponsors."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("problems", __name__)
