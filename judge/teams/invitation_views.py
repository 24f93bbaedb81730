"""Team invitations: the leader makes a link or mails one, sees and revokes pending ones;
anyone holding a link opens it, signs up or logs in, and accepts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.errors import DomainError
from judge.core.web import actor, button_action, form_action
from judge.teams import invitations
from judge.teams.forms import InviteByEmailForm
from judge.teams.views import led_team, team_page

bp = Blueprint("team_invitations", __name__)


@bp.post("/c/<slug>/team/invitations/link")
@login_required
def create_link(slug: str):
    team = led_team(competitions.get_competition(slug))
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            link = invitations.create_link(team, actor(), utcnow())
        if ok():  # the link is shown this once: only its hash is kept
            return render_template("teams/invitation_link.html", team=team, link=link,
                                   days=invitations.lifetime_days())  # fmt: skip
    return redirect(url_for("teams.show", team_id=team.id))


@bp.post("/c/<slug>/team/invitations/email")
@login_required
def invite_by_email(slug: str):
    team = led_team(competitions.get_competition(slug))
    form = InviteByEmailForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            invitation = invitations.invite_by_email(team, form.email.data, actor(), utcnow())
        if ok():
            flash(_("An invitation is on its way to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("teams.show", team_id=team.id, _anchor="invitations"))
    return team_page(team, invite_form=form)


@bp.post("/c/<slug>/team/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(slug: str, invitation_id: int):
    team = led_team(competitions.get_competition(slug))
    button_action(
        lambda: invitations.revoke(team, invitation_id, actor(), utcnow()),
        _("The invitation is withdrawn; its link no longer works."),
    )
    return redirect(url_for("teams.show", team_id=team.id, _anchor="invitations"))


@bp.get("/invitations/team/<token>")
def show(token: str):
    """What the link offers; someone not logged in is led through login or sign-up back here."""
    try:
        invitation = invitations.find(token, utcnow())
    except DomainError as exc:
        return render_template("invitation_invalid.html", message=exc.message), exc.status
    competition = invitation.team.competition
    return render_template(
        "teams/invitation.html",
        team=invitation.team,
        competition=competition,
        accepted=policy.has_accepted_rules(actor(), competition),
        here=request.path,
    )


@bp.post("/invitations/team/<token>")
@login_required
def accept(token: str):
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            team = invitations.accept(token, actor(), utcnow())
        if ok():
            flash(_("You joined %(team)s.", team=team.name), "success")
            return redirect(url_for("teams.show", team_id=team.id))
    return redirect(url_for(".show", token=token))
