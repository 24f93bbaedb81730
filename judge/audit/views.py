"""The site administrators' audit view: every competition's log and the site-wide acts."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from judge.audit import browse
from judge.audit import log as audit
from judge.competitions import states
from judge.core.web import require_admin

bp = Blueprint("admin_audit", __name__, url_prefix="/admin/audit")
bp.before_request(require_admin)


@bp.get("")
def index():
    competitions = {c.id: c for c in states.all_competitions()}
    slugs = {c.slug: c.id for c in competitions.values()}
    filters = browse.Filters(
        competition_id=slugs.get(request.args.get("competition", "")),
        actor=request.args.get("actor", "")[:200],
        action=request.args.get("action") if request.args.get("action") in audit.ACTIONS else None,
    )
    page = browse.search(filters, request.args.get("page", 1, type=int))
    return render_template("admin/audit.html", page=page, filters=filters,
                           competitions=competitions, actions=audit.ACTIONS)  # fmt: skip
