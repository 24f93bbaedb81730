"""Organizers rename, disband, disqualify or reinstate a team: a page that says what will
happen and asks for the reason and a confirmation, then the act."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import actor, form_action
from judge.teams import moderation
from judge.teams import services as teams
from judge.teams.forms import ModerationForm
from judge.teams.models import Team

bp = Blueprint("team_moderation", __name__)
ACT = f"/c/<slug>/teams/<int:team_id>/<any({', '.join(moderation.ACTS)}):act>"
DONE = {
    "rename": _l("The team is renamed; its members are told why."),
    "disband": _l("The team is disbanded; its members are told why."),
    "disqualify": _l("The team is disqualified; its members are told why."),
    "reinstate": _l("The team is reinstated; its members are told why."),
}


def _moderated(slug: str, team_id: int) -> Team:
    competition = competitions.get_competition(slug)
    if not policy.is_organizer(actor(), competition):
        abort(403)
    team = teams.get_team(team_id, actor())
    if team.competition_id != competition.id:
        abort(404)
    return team


def _page(team: Team, act: str, form: ModerationForm):
    return render_template("teams/moderate.html", act=act, form=form,
                           summary=moderation.summary(team))  # fmt: skip


@bp.get(ACT)
@login_required
def confirm(slug: str, team_id: int, act: str):
    team = _moderated(slug, team_id)
    return _page(team, act, ModerationForm(formdata=None, name=team.name))


@bp.post(ACT)
@login_required
def apply(slug: str, team_id: int, act: str):
    team = _moderated(slug, team_id)
    form = ModerationForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            moderation.apply(team, act, form.reason.data, actor(), utcnow(), form.name.data)
        if ok():
            flash(str(DONE[act]), "info")
            return redirect(url_for("competitions.participant_list", slug=slug, _anchor="teams"))
    return _page(team, act, form)
