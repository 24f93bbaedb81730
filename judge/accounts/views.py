"""Sign up (with consent), address verification, log in and out, language, API tokens."""

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
from flask_login import current_user, login_required

from judge.accounts import (
    consent,
    deletion,
    profile,
    recovery,
    services,
    sessions,
    signup,
    throttle,
    verification,
)
from judge.accounts.forms import (
    ChangePasswordForm,
    ConsentForm,
    DeleteAccountForm,
    EmptyForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
)
from judge.accounts.models import ConsentKind
from judge.core import i18n
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict, Invalid, Unauthorized
from judge.core.web import actor, button_action, form_action, safe_next

bp = Blueprint("accounts", __name__)


SIGNED_UP_KEY = "signed_up_email"  # fills in the login form after signing up


@bp.route("/register", methods=["GET", "POST"])
def register():
    form, now = RegisterForm(), utcnow()
    if form.validate_on_submit():
        throttle.check_sign_up(request.remote_addr, now)
        with form_action(form) as ok:
            signup.sign_up(_application(form), now)
        if ok():  # the same answer whether the address was new or had an account
            session[SIGNED_UP_KEY] = form.email.data.strip()
            flash(
                _(
                    "Thank you! If %(email)s had no account yet, it has one now, and we sent"
                    " it a link to confirm the address. Please log in to continue.",
                    email=form.email.data.strip(),
                ),
                "success",
            )
            return redirect(url_for("accounts.login", next=request.args.get("next")))
    privacy, optional = (consent.current(kind, now) for kind in ConsentKind)
    return render_template("accounts/register.html", form=form, privacy=privacy, optional=optional)


def _application(form: RegisterForm) -> signup.Application:
    return signup.Application(
        email=form.email.data,
        name=form.name.data,
        password=form.password.data,
        affiliation=form.affiliation.data or "",
        agreed=form.agree_privacy.data,
        marketing=form.agree_marketing.data,
        locale=i18n.locale_code(),
    )


@bp.get("/verify/<token>")
def verify_email(token: str):
    """The page a verification link opens: the address counts as verified from now on."""
    try:
        with unit_of_work():
            verification.verify(token, utcnow())
    except Invalid as exc:
        return render_template("accounts/verify_link_invalid.html", message=exc.message), 400
    flash(_("Thank you: your email address is verified."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("competitions.index"))
    return redirect(url_for("accounts.login"))


@bp.post("/account/verification")
@login_required
def resend_verification():
    """The banner's button: a new link, at most once per interval (the answer is the same)."""
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            verification.request_verification(actor(), utcnow())
        flash(
            _(
                "We sent a link to %(email)s. Please check your mail; a new link can be sent"
                " once a minute.",
                email=current_user.email,
            ),
            "info",
        )
    return redirect(safe_next(request.form.get("next"), url_for("competitions.index")))


# Pages a person who must accept a new notice can still reach.
CONSENT_FREE = {
    "static",
    "accounts.consent",
    "accounts.logout",
    "accounts.logout_everywhere",
    "accounts.set_language",
    "accounts.verify_email",
    "accounts.delete_account",  # refusing the new notice: the way out stays open
}


@bp.before_app_request
def ask_for_new_consent():
    """A logged-in person who has not accepted the personal-data notice in effect is sent
    to accept it first (web pages only; the API and the workers' endpoints go on)."""
    if request.endpoint in CONSENT_FREE or request.endpoint is None:
        return None
    if request.path.startswith(("/api/", "/internal/")) or request.blueprint == "ops":
        return None
    if not current_user.is_authenticated or consent.pending(current_user, utcnow()) is None:
        return None
    return redirect(url_for("accounts.consent", next=request.full_path))


@bp.route("/account/consent", methods=["GET", "POST"], endpoint="consent")
@login_required
def consent_page():
    """The interstitial: read and accept the new version of the personal-data notice."""
    now, target = utcnow(), safe_next(request.args.get("next"), url_for("competitions.index"))
    document = consent.pending(current_user, now)
    if document is None:
        return redirect(target)
    form = ConsentForm(version=str(document.version))
    if form.validate_on_submit():
        with form_action(form) as ok:
            consent.accept_pending(actor(), form.version.data, now)
        if ok():
            flash(_("Thank you. You have accepted the notice."), "success")
            return redirect(target)
    form.version.data = str(document.version)  # the version shown is the one accepted
    return render_template("accounts/consent.html", form=form, document=document)


@bp.post("/account/consent/optional")
@login_required
def set_optional_consent():
    """Give or withdraw the optional consent from the account page."""
    button_action(
        lambda: consent.set_optional(actor(), request.form.get("accepted") == "yes", utcnow()),
        _("Your choice is saved."),
        "success",
    )
    return redirect(url_for("accounts.account"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(email=session.pop(SIGNED_UP_KEY, None))
    if form.validate_on_submit():
        now = utcnow()
        attempt = throttle.Attempt.of(
            form.email.data, request.remote_addr, request.cookies.get(throttle.DEVICE_COOKIE)
        )
        try:
            with unit_of_work():
                user = throttle.sign_in(attempt, form.email.data, form.password.data, now)
                sessions.log_in(user, now)
        except Unauthorized as exc:  # a refusal (429) goes on to the error page
            form.password.errors = [exc.message]
        else:
            target = safe_next(request.args.get("next"), url_for("competitions.index"))
            return throttle.remember_device(redirect(target), attempt)
    return render_template("accounts/login.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        now = utcnow()
        recovery.check_request(form.email.data, request.remote_addr, now)
        with unit_of_work():
            recovery.request_reset(form.email.data, now)
        flash(
            _(
                "If an account uses %(email)s, we have sent it a link to choose a new password."
                " Please check your mail.",
                email=form.email.data.strip(),
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """The page a reset link opens: choose a new password; every session and token ends."""
    try:
        recovery.user_for_token(token)
    except Invalid as exc:
        return render_template("accounts/reset_link_invalid.html", message=exc.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            recovery.reset_password(token, form.password.data, utcnow())
        if ok():
            sessions.log_out(utcnow())
            flash(
                _(
                    "Your new password is set. Every browser and API token of the account"
                    " was logged out; please log in with the new password."
                ),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password: other browsers are logged out and API tokens revoked."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        now = utcnow()
        with form_action(form) as ok:
            user = actor()
            services.change_password(
                user, form.current_password.data, form.password.data,
                keep=sessions.current(), now=now,
            )  # fmt: skip
            recovery.password_changed_mail(user, now)
        if ok():
            flash(
                _(
                    "Your password is changed. Your other browsers were logged out and your"
                    " API tokens revoked."
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            sessions.log_out(utcnow())
        flash(_("You are logged out."), "info")
    return redirect(url_for("competitions.index"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """End every session of the account, this browser's too (a lost phone, a shared PC)."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    now = utcnow()
    with unit_of_work():
        services.end_sessions(actor(), now)
        sessions.log_out(now)
    flash(_("You are logged out on every browser."), "info")
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
    """The owner's name, affiliation (frozen once their team is a finalist) and language."""
    user = actor()
    form = ProfileForm(obj=user, name=user.given_name, locale=user.locale or "")
    if form.validate_on_submit():
        with form_action(form) as ok:
            profile.update_profile(user, form.name.data, form.affiliation.data,
                                   form.locale.data or None)  # fmt: skip
        if ok():
            session.pop(i18n.SESSION_KEY, None)
            refresh()  # the confirmation already reads in the chosen language
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        form=form,
        frozen_in=profile.frozen_in(user),
        sessions=services.sessions_of(user),
        this_session=sessions.current(),
        logout_form=EmptyForm(),
        answers=consent.answers(current_user),
        optional=consent.current(ConsentKind.MARKETING, utcnow()),
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Explain what deleting the account does, then do it on the password and a tick."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        now = utcnow()
        with form_action(form) as ok:
            deletion.delete_account(actor(), form.password.data, form.confirm.data, now)
            sessions.log_out(now)
        if ok():
            flash(_("Your account is deleted. Thank you for taking part."), "info")
            return redirect(url_for("competitions.index"))
    return render_template("accounts/delete.html", form=form, refusal=_refusal(actor()))


def _refusal(user) -> str | None:
    """Why the account cannot be deleted yet, shown before the owner types anything."""
    try:
        deletion.check_deletable(user)
    except Conflict as exc:
        return exc.message
    return None


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
    button_action(
        lambda: services.revoke_token(current_user, token_id, utcnow()), _("The token is revoked.")
    )
    return redirect(url_for("accounts.tokens"))
