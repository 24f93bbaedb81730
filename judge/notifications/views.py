"""The bell, the notifications page, and the e-mail settings page."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.core.db import utcnow
from judge.core.web import actor, button_action, form_action
from judge.notifications import services
from judge.notifications.kinds import KINDS, Kind

bp = Blueprint("notifications", __name__)


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The bell's count for the logged-in person (one COUNT per page)."""
    if "unread_notifications" not in g:
        user = actor()
        g.unread_notifications = services.unread_count(user) if user else 0
    return g.unread_notifications


@bp.get("/notifications")
@login_required
def index():
    """The list, newest first; what is unread stays highlighted until marked read."""
    return render_template("notifications/index.html", notifications=services.recent(actor()),
                           describe=services.describe, form=EmptyForm())  # fmt: skip


@bp.post("/notifications/read")
@login_required
def read_all():
    button_action(lambda: services.mark_all_read(actor(), utcnow()),
                  _("All notifications are marked as read."), "success")  # fmt: skip
    return redirect(url_for(".index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    user = actor()
    form = EmptyForm()
    if form.validate_on_submit():
        wanted = {k for k in Kind if request.form.get(f"email_{k.value}")}
        with form_action(form) as ok:
            services.set_email_choices(user, wanted)
        if ok():
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for(".preferences"))
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=KINDS,
        offered=services.kinds_for(user),
        choices=services.email_choices(user),
    )
