"""Moving a competition between draft, published and archived, each after a confirm page that
says what becomes visible or closed: organizers publish their draft here; the site admin
archives and restores from the admin console (judge.competitions.admin_views)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.competitions import policy, services, states
from judge.competitions.models import Competition
from judge.core.web import actor, button_action

bp = Blueprint("competition_states", __name__)


@bp.route("/c/<slug>/manage/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str):
    """An organizer (or the admin) shows the draft to everyone."""
    competition = services.get_competition(slug)
    if not policy.is_organizer(actor(), competition):
        abort(403)
    done = _("“%(title)s” is published.", title=competition.title)
    return confirm(competition, "publish", lambda: states.publish(competition, actor()), done,
                   url_for("competitions.manage", slug=slug))  # fmt: skip


def confirm(competition: Competition, act: str, action: Callable[[], object], done: str,
            back: str):  # fmt: skip
    """The confirm page of ``act``; on POST, do it and go ``back`` with ``done``."""
    if request.method == "POST" and button_action(action, done, "success"):
        return redirect(back)
    return render_template(
        "competitions/state_confirm.html",
        competition=competition,
        act=act,
        counts=states.counts(competition),
        back=back,
        button=EmptyForm(),
    )
