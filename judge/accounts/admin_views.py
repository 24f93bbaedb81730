"""The site administrators' user management: find an account, see whether its address is
verified, disable or enable it, send it a password reset link, correct its affiliation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from judge.accounts import directory, profile, recovery, services
from judge.accounts.forms import AffiliationForm, EmptyForm
from judge.core.db import utcnow
from judge.core.web import actor, button_action, form_action, require_admin

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")
bp.before_request(require_admin)


@bp.get("")
def index():
    query = request.args.get("q", "")
    page = directory.search(query, request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page, query=query)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def show(user_id: int):
    """One account; the form corrects its affiliation, even a frozen one (audited)."""
    user = directory.get_user(user_id)
    form = AffiliationForm(obj=user)
    if form.validate_on_submit():
        with form_action(form) as ok:
            profile.set_affiliation(user, form.affiliation.data, actor())
        if ok():
            flash(_("The affiliation is changed."), "success")
            return redirect(url_for(".show", user_id=user.id))
    return render_template(
        "admin/user.html",
        user=user,
        form=form,
        frozen_in=profile.frozen_in(user),
        button=EmptyForm(),
    )


@bp.route("/<int:user_id>/disable", methods=["GET", "POST"])
def disable(user_id: int):
    """Ask first; then the account's sessions end and its API tokens are revoked."""
    user = directory.get_user(user_id)
    if request.method == "POST":
        message = _("%(name)s is disabled and logged out everywhere.", name=user.name)
        if button_action(lambda: services.disable_user(user, actor(), utcnow()), message):
            return redirect(url_for(".show", user_id=user.id))
    return render_template("admin/disable_user.html", user=user, button=EmptyForm())


@bp.post("/<int:user_id>/enable")
def enable(user_id: int):
    user = directory.get_user(user_id)
    button_action(lambda: services.enable_user(user, actor()),
                  _("%(name)s can log in again.", name=user.name))  # fmt: skip
    return redirect(url_for(".show", user_id=user.id))


@bp.post("/<int:user_id>/password-reset")
def send_reset(user_id: int):
    """Mail the owner a reset link; the administrator never sees it."""
    user = directory.get_user(user_id)
    message = _("A password reset link is on its way to %(email)s.", email=user.email)
    button_action(lambda: recovery.send_reset_for(user, actor(), utcnow()), message)
    return redirect(url_for(".show", user_id=user.id))
