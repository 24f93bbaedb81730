"""The page of a problem with phases: the phases as tabs, each with its boards, its upload
form and the team's uploads with a score per task (docs/design/phases.md).

Each row's own page (``/c/<comp>/p/<slug>``) stays as it is and links here: addresses the
command line, the API and old links use keep working.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import actor
from judge.leaderboard import services as leaderboard
from judge.problems import series as service
from judge.problems import series_pages as pages
from judge.submissions import phases as phase_uploads
from judge.teams import services as teams

bp = Blueprint("series", __name__, url_prefix="/c/<slug>")
bp.add_app_template_global(service.phase_label, "phase_label")


@bp.get("/s/<series_slug>")
def show(slug: str, series_slug: str):
    competition = competitions.get_competition(slug)
    series = service.get_series(competition, series_slug)
    user, now = actor(), utcnow()
    shown = pages.visible_phases(series, user)
    tab = _tab(shown, now)
    team = teams.team_of(user, competition) if user is not None else None
    # A one-task phase that takes uploads lists them as the problem page does (its panel).
    own_list = len(tab.rows) > 1 or not tab.takes_uploads
    return render_template(
        "problems/series.html",
        competition=competition,
        series=series,
        phases=shown,
        tab=tab,
        now=now,
        entry=pages.entry_text(tab, shown),
        uploads=phase_uploads.uploads(tab.rows, team) if team and own_list else None,
        private={row.id: leaderboard.can_see_private(user, row, now) for row in tab.rows},
        is_organizer=policy.is_organizer(user, competition),
    )


def _tab(shown: list[pages.Phase], now) -> pages.Phase:
    """The phase of ``?phase=N`` (1, 2, …); without one (or an unknown one), the current."""
    number = request.args.get("phase", type=int)
    chosen = next((phase for phase in shown if phase.index + 1 == number), None)
    return chosen or pages.current(shown, now)
