"""Forms for signing up, logging in and issuing tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length


class RegisterForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    affiliation = StringField(_l("Affiliation (school or company)"), validators=[Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    agree_privacy = BooleanField(
        _l("I agree to the collection and use of my personal data as described above (required)"),
        validators=[
            InputRequired(
                message=_l(
                    "Please agree to the collection and use of personal data to create an account."
                )
            )
        ],
    )
    agree_marketing = BooleanField(
        _l("I agree to receive news and to have my details shared with sponsors (optional)")
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class AffiliationForm(FlaskForm):
    # Checked by the service (judge/accounts/profile.py), whose messages name the problem.
    affiliation = StringField(_l("Affiliation (school or company)"))


class ProfileForm(AffiliationForm):
    name = StringField(_l("Name"))
    # Each language is named in its own words; "" follows the browser's language.
    locale = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("The browser's language")),
            SelectChoice("ko", "한국어", render_kw={"lang": "ko"}),
            SelectChoice("en", "English", render_kw={"lang": "en"}),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Password"))
    confirm = BooleanField(_l("I understand that this cannot be undone."))


class ConsentForm(FlaskForm):
    """Accepting a new version of the personal-data notice (the version shown rides along)."""

    version = HiddenField()
    agree_privacy = BooleanField(
        _l("I agree to the collection and use of my personal data as described above (required)"),
        validators=[InputRequired(message=_l("Please tick the box to accept the notice."))],
    )
