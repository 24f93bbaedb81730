"""The public sign-up: consent first, then the account, its answers and a verification
link. A service: flushes, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from judge.accounts import consent, services, verification
from judge.accounts.models import User
from judge.core.errors import Invalid


@dataclass(frozen=True)
class Application:
    """What the sign-up form carries."""

    email: str
    name: str
    password: str
    affiliation: str
    agreed: bool  # the required personal-data notice
    marketing: bool  # the optional one
    locale: str  # the language the form was read in: the account's, and its mail's


def privacy_refused() -> str:
    return _("Please agree to the collection and use of personal data to create an account.")


def sign_up(application: Application, now: datetime) -> User | None:
    """Create an account, or None when the address has one already (the caller answers
    the same). Without agreement to the personal-data notice nothing is written."""
    if not application.agreed:
        raise Invalid(privacy_refused(), field="agree_privacy")
    a = application
    user = services.sign_up(a.email, a.name, a.password, a.affiliation)
    if user is not None:
        services.set_locale(user, a.locale)
        consent.accept_at_sign_up(user, a.marketing, now)
        verification.request_verification(user, now)
    return user
