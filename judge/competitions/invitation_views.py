"""The page a staff invitation link opens: log in (or sign up) with the invited address,
verified, and accept."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.competitions import invitations, services
from judge.core.db import utcnow
from judge.core.errors import DomainError
from judge.core.web import actor, form_action

bp = Blueprint("staff_invitations", __name__)


@bp.get("/invitations/staff/<token>")
def show(token: str):
    try:
        invitation = invitations.find(token, utcnow())
    except DomainError as exc:
        return render_template("invitation_invalid.html", message=exc.message), exc.status
    return render_template("competitions/invitation.html", invitation=invitation)


@bp.post("/invitations/staff/<token>")
@login_required
def accept(token: str):
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            invitation = services.accept_staff_invitation(token, actor(), utcnow())
        if ok():
            flash(_("Welcome! You now help run %(competition)s.",
                    competition=invitation.competition.title), "success")  # fmt: skip
            return redirect(url_for("competitions.show", slug=invitation.competition.slug))
    return redirect(url_for(".show", token=token))
