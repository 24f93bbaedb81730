"""Competition pages: the list, one competition, and the organizer's setup."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from judge.competitions import services

bp = Blueprint("competitions", __name__)


@bp.get("/")
def index():
    return render_template("competitions/index.html", competitions=services.list_competitions())


@bp.route("/competitions/new", methods=["GET", "POST"])
@login_required
def create():
    if not current_user.is_admin:
        abort(403)
    return render_template("competitions/new.html")
