"""The site administrators' competitions: every competition in every state, with its teams
and problems, and archive or restore after a confirm page."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from judge.competitions import services, states
from judge.competitions.state_views import confirm
from judge.core.web import actor, require_admin

bp = Blueprint("admin_competitions", __name__, url_prefix="/admin/competitions")
bp.before_request(require_admin)


@bp.get("")
def index():
    listed = states.all_competitions()
    return render_template(
        "admin/competitions.html",
        competitions=listed,
        counts=states.counts_of(listed),
    )


@bp.route("/<slug>/archive", methods=["GET", "POST"])
def archive(slug: str):
    competition = services.get_competition(slug)
    done = _("“%(title)s” is archived.", title=competition.title)
    return confirm(competition, "archive", lambda: states.archive(competition, actor()), done,
                   url_for(".index"))  # fmt: skip


@bp.route("/<slug>/restore", methods=["GET", "POST"])
def restore(slug: str):
    competition = services.get_competition(slug)
    done = _("“%(title)s” is restored.", title=competition.title)
    return confirm(competition, "restore", lambda: states.restore(competition, actor()), done,
                   url_for(".index"))  # fmt: skip
