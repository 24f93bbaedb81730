"""A person's own details: the name shown on team pages, the affiliation judges' conflicts
of interest are checked against, and the language. Services flush, never commit.

An affiliation change is audited in every competition the person takes part in (as a team
member or as staff), since each competition's organizers read their own audit log when they
check conflicts of interest; a person in none gets one site-level entry. Once the person's
team is a finalist, the affiliation is frozen for them; a site administrator may still
change it (audited the same way).
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts import services
from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition, CompetitionRole
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.finals.models import Finalist
from judge.teams.models import Membership

MAX_NAME, MAX_AFFILIATION = 100, 200
# Control, format (bidi, zero-width), separator and surrogate characters: nobody types
# them in a name, and they hide or reorder text on the pages that show it.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def _hidden(text: str) -> bool:
    return any(unicodedata.category(char) in HIDDEN for char in text)


def clean_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise Invalid(_("Please enter your name."), field="name")
    if _hidden(value or ""):
        raise Invalid(_("A name cannot contain control or invisible characters."), field="name")
    if len(name) > MAX_NAME:
        raise Invalid(_("A name has at most %(n)d characters.", n=MAX_NAME), field="name")
    return name


def clean_affiliation(value: str | None) -> str:
    affiliation = " ".join((value or "").split())
    if _hidden(value or ""):
        raise Invalid(
            _("An affiliation cannot contain control or invisible characters."),
            field="affiliation",
        )
    if len(affiliation) > MAX_AFFILIATION:
        raise Invalid(
            _("An affiliation has at most %(n)d characters.", n=MAX_AFFILIATION),
            field="affiliation",
        )
    return affiliation


def finalist_competition(user: User) -> Competition | None:
    """A competition where the user's team is on a shortlist (which freezes the affiliation)."""
    query = (
        sa.select(Competition)
        .join(Membership, Membership.competition_id == Competition.id)
        .join(Finalist, Finalist.team_id == Membership.team_id)
        .where(Membership.user_id == user.id)
        .limit(1)
    )
    return db.session.scalar(query)


def _competitions_of(user: User) -> list[int]:
    teams = sa.select(Membership.competition_id).where(Membership.user_id == user.id)
    roles = sa.select(CompetitionRole.competition_id).where(CompetitionRole.user_id == user.id)
    return sorted(set(db.session.scalars(teams.union(roles))))


def set_affiliation(user: User, value: str | None, actor: User | None) -> User:
    """Change the affiliation, audited in each competition the user takes part in (or once
    site-wide). Only an administrator may change it once the user's team is a finalist."""
    affiliation = clean_affiliation(value)
    if affiliation == user.affiliation:
        return user
    frozen = finalist_competition(user)
    if frozen is not None and not getattr(actor, "is_admin", False):
        raise Invalid(
            _(
                "Your affiliation can no longer be changed: your team is a finalist in"
                " %(competition)s, and judges' conflicts of interest are checked against it."
                " Please ask the organizers if it is wrong.",
                competition=frozen.title,
            ),
            field="affiliation",
        )
    subject = f"#{user.id} {user.given_name}"
    change = ({"affiliation": user.affiliation}, {"affiliation": affiliation})
    for competition_id in _competitions_of(user) or [None]:
        audit.record(actor, "affiliation_changed", competition_id, subject, *change)
    user.affiliation = affiliation
    db.session.flush()
    return user


def update_profile(user: User, name: str | None, affiliation: str | None,
                   locale: str | None) -> User:  # fmt: skip
    """The owner edits their name, affiliation and language; nothing is saved unless all
    three are valid."""
    user.given_name = clean_name(name)
    set_affiliation(user, affiliation, user)
    return services.set_locale(user, locale)
