"""Sign up, log in and out, language, personal API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from judge.accounts import services
from judge.accounts.forms import EmptyForm, LoginForm, RegisterForm, SettingsForm, TokenForm
from judge.core import i18n
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import DomainError
from judge.core.web import actor, form_action, safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            user = services.register(
                form.email.data, form.name.data, form.password.data, form.affiliation.data or ""
            )
        if ok():
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(url_for("competitions.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            form.password.errors = [exc.message]
        else:
            login_user(user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next"), url_for("competitions.index")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("competitions.index"))


@bp.post("/language/<code>")
def set_language(code: str):
    """The switcher on every page: remembered in the session, and saved for a logged-in user."""
    if EmptyForm().validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session[i18n.SESSION_KEY] = code
        if current_user.is_authenticated:
            with unit_of_work():
                services.set_locale(actor(), code)
    return redirect(safe_next(request.form.get("next"), url_for("competitions.index")))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = SettingsForm(locale=current_user.locale or "")
    if form.validate_on_submit():
        with form_action(form) as ok:
            services.set_locale(actor(), form.locale.data or None)
        if ok():
            session.pop(i18n.SESSION_KEY, None)
            refresh()  # the confirmation already reads in the chosen language
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        with form_action(form) as ok:
            _token, new_token = services.create_token(current_user, form.name.data)
        if ok():
            flash(_("Copy the token now: it will not be shown again."), "warning")
    return render_template(
        "accounts/tokens.html",
        form=form,
        new_token=new_token,
        tokens=services.tokens_of(current_user),
        revoke_form=EmptyForm(),
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            services.revoke_token(current_user, token_id, utcnow())
        if ok():
            flash(_("The token is revoked."), "info")
    return redirect(url_for("accounts.tokens"))
