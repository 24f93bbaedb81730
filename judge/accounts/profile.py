"""A person's own details: the name shown on team pages, the affiliation judges' conflicts
of interest are checked against, and the language. Services flush, never commit.

An affiliation change is audited in every competition the person takes part in (as a team
member or as staff), since each competition's organizers read their own audit log when they
check conflicts of interest; a person in none gets one site-level entry. Once the person's
team is a finalist, the affiliation is frozen for them; a site administrator may still
change it (audited the same way).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts import services
from judge.accounts.models import User
from judge.accounts.names import clean_affiliation, clean_name
from judge.audit import log as audit
from judge.competitions.models import Competition, CompetitionRole, Role
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.finals.models import Finalist
from judge.problems.models import Problem
from judge.teams.models import Membership


def frozen_in(user: User) -> Competition | None:
    """A competition with a shortlist in which the user's team is a finalist or the user
    judges: there the affiliation decides conflicts of interest, so it is frozen (else a
    judge could clear a conflict, score the team, and change it back)."""
    finalist = (
        sa.select(Competition.id)
        .join(Membership, Membership.competition_id == Competition.id)
        .join(Finalist, Finalist.team_id == Membership.team_id)
        .where(Membership.user_id == user.id)
    )
    judging = (
        sa.select(Competition.id)
        .join(CompetitionRole, CompetitionRole.competition_id == Competition.id)
        .join(Problem, Problem.competition_id == Competition.id)
        .join(Finalist, Finalist.problem_id == Problem.id)
        .where(CompetitionRole.user_id == user.id, CompetitionRole.role == Role.JUDGE)
    )
    ids = finalist.union(judging).subquery()
    return db.session.scalar(
        sa.select(Competition).where(Competition.id.in_(sa.select(ids))).limit(1)
    )


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
    frozen = frozen_in(user)
    if frozen is not None and not getattr(actor, "is_admin", False):
        raise Invalid(
            _(
                "Your affiliation can no longer be changed: %(competition)s has a shortlist,"
                " and judges' conflicts of interest are checked against it."
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
