"""Team pages: create, join, leave, rename, a new invite code, and the team's own page.

Actions under ``/c/<slug>/team`` always act on the current user's own team
in that competition, so nobody can name someone else's team in a request.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from judge.accounts.forms import EmptyForm
from judge.competitions import policy
from judge.competitions import services as competitions
from judge.competitions.models import Competition
from judge.core.db import utcnow
from judge.core.web import actor, button_action, form_action
from judge.finals import certificates
from judge.teams import invitations, merges, services
from judge.teams.forms import (
    CreateTeamForm,
    DivisionForm,
    InviteByEmailForm,
    JoinTeamForm,
    MergeRequestForm,
    RenameTeamForm,
)
from judge.teams.models import Team

bp = Blueprint("teams", __name__)


def _entry_page(competition: Competition, create_form=None, join_form=None):
    """The page for someone without a team: create one or join one."""
    user = actor()
    return render_template(
        "teams/entry.html",
        competition=competition,
        accepted=policy.has_accepted_rules(user, competition),
        is_staff=policy.is_staff(user, competition),
        create_form=create_form or CreateTeamForm.of(competition, formdata=None),
        join_form=join_form or JoinTeamForm(formdata=None),
    )


def own_team(competition: Competition) -> Team:
    team = services.team_of(actor(), competition)
    if team is None:
        abort(404)
    return team


def led_team(competition: Competition) -> Team:
    team = own_team(competition)
    if team.leader_id != actor().id:
        abort(403)
    return team


@bp.get("/c/<slug>/team")
@login_required
def mine(slug: str):
    competition = competitions.get_competition(slug)
    team = services.team_of(actor(), competition)
    if team is not None:
        return redirect(url_for(".show", team_id=team.id))
    return _entry_page(competition)


@bp.post("/c/<slug>/team/create")
@login_required
def create(slug: str):
    competition = competitions.get_competition(slug)
    form = CreateTeamForm.of(competition)
    if form.validate_on_submit():
        with form_action(form) as ok:
            division = competitions.get_division(competition, form.division_id.data)
            team = services.create_team(competition, division, form.name.data, actor(), utcnow())
        if ok():
            flash(_("Your team is created. Share the invite code with your teammates."), "success")
            return redirect(url_for(".show", team_id=team.id))
    return _entry_page(competition, create_form=form)


@bp.post("/c/<slug>/team/join")
@login_required
def join(slug: str):
    competition = competitions.get_competition(slug)
    form = JoinTeamForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            team = services.join_team(competition, form.code.data, actor(), utcnow())
        if ok():
            flash(_("You joined %(team)s.", team=team.name), "success")
            return redirect(url_for(".show", team_id=team.id))
    return _entry_page(competition, join_form=form)


@bp.post("/c/<slug>/team/leave")
@login_required
def leave(slug: str):
    competition = competitions.get_competition(slug)
    team = own_team(competition)
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            services.leave_team(team, actor(), utcnow())
        if ok():
            flash(_("You left the team."), "info")
            return redirect(url_for("competitions.show", slug=slug))
    return redirect(url_for(".show", team_id=team.id))


@bp.post("/c/<slug>/team/rename")
@login_required
def rename(slug: str):
    competition = competitions.get_competition(slug)
    team = led_team(competition)
    form = RenameTeamForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            services.rename_team(team, form.name.data, utcnow())
        if ok():
            flash(_("The team is renamed."), "success")
            return redirect(url_for(".show", team_id=team.id))
    return team_page(team, rename_form=form)


@bp.post("/c/<slug>/team/invite-code")
@login_required
def new_invite_code(slug: str):
    competition = competitions.get_competition(slug)
    team = led_team(competition)
    button_action(
        lambda: services.regenerate_invite_code(team),
        _("The team has a new invite code; the old one no longer works."),
    )
    return redirect(url_for(".show", team_id=team.id))


@bp.get("/teams/<int:team_id>")
def show(team_id: int):
    """Anyone sees a team's name and members; a disbanded team only its organizers."""
    return team_page(services.get_team(team_id, actor()))


def team_page(team: Team, **forms: FlaskForm):
    """The team's page; a form that failed replaces its empty twin."""
    user, now = actor(), utcnow()
    view = services.member_view(user, team)
    is_leader = view == services.OWN and team.leader_id == user.id
    return render_template(
        "teams/show.html",
        team=team,
        competition=team.competition,
        view=view,
        is_member=view == services.OWN,
        is_leader=is_leader,
        invitations=invitations.pending(team, now) if is_leader else [],
        invitation_days=invitations.lifetime_days(),
        certificates=certificates.of_team(user, team),
        merge_requests=(merges.incoming(team), merges.outgoing(team)) if is_leader else ([], []),
        **{
            "rename_form": RenameTeamForm(formdata=None, data={"name": team.name}),
            "invite_form": InviteByEmailForm(formdata=None),
            "division_form": DivisionForm.of(
                team.competition, formdata=None, data={"division_id": team.division_id}
            ),
            "merge_form": MergeRequestForm.of(merge_candidates(team), formdata=None),
        }
        | forms,
    )


def merge_candidates(team: Team) -> list[Team]:
    """The standing teams of the same division a leader might ask to merge into theirs."""
    return [t for t in services.teams_in(team.competition, team.division) if t.id != team.id]
