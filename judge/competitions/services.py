"""Creating and setting up competitions. Services flush; the caller commits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts import services as accounts
from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import consent, invitations, participant_fields
from judge.competitions.models import (
    Competition,
    CompetitionRole,
    CompetitionState,
    Division,
    Role,
    RulesAcceptance,
    Sponsor,
    SponsorMember,
    StaffInvitation,
)
from judge.core.db import utcnow
from judge.core.errors import Conflict, Forbidden, Invalid, NotFound
from judge.core.extensions import db
from judge.core.timefmt import is_timezone
from judge.teams import services as teams

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")

DATE_FIELDS = (
    "registration_opens_at",
    "registration_closes_at",
    "submissions_open_at",
    "submissions_close_at",
    "results_at",
    "team_change_deadline",
)
EDITABLE = ("title", "description", "rules", "timezone", *DATE_FIELDS, "max_team_size")

DATE_PAIRS = (
    ("registration_opens_at", "registration_closes_at"),
    ("submissions_open_at", "submissions_close_at"),
)


def check_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise Invalid(
            _("Use 3–64 lowercase letters, digits and hyphens for the short name."), field="slug"
        )
    return slug


def check_window(opens: datetime | None, closes: datetime | None, field: str) -> None:
    if opens and closes and closes <= opens:
        raise Invalid(_("The end must come after the start."), field=field)


def get_competition(slug: str) -> Competition:
    competition = db.session.scalar(sa.select(Competition).where(Competition.slug == slug))
    if competition is None:
        raise NotFound(_("No such competition."))
    return competition


def create_competition(*, slug: str, title: str, actor: User, **fields: Any) -> Competition:
    """Create a competition as a draft (seen by its staff only until published); its
    creator becomes an organizer."""
    slug = check_slug(slug)
    if db.session.scalar(sa.select(Competition.id).where(Competition.slug == slug)):
        raise Conflict(_("A competition with this short name already exists."), field="slug")
    competition = Competition(
        slug=slug, title="", max_team_size=5, timezone="Asia/Seoul", state=CompetitionState.DRAFT
    )
    update_competition(competition, actor=actor, title=title, **fields)
    db.session.add(competition)
    db.session.add(CompetitionRole(competition=competition, user=actor, role=Role.ORGANIZER))
    db.session.flush()
    return competition


def update_competition(competition: Competition, *, actor: User | None = None,
                       **fields: Any) -> Competition:  # fmt: skip
    """Change the given fields after checking them together; a change of the dates (which
    open and close the problems that have none of their own) is audited, with ``actor`` (None:
    the system, e.g. a command)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(_("Unknown field: %(name)s", name=", ".join(sorted(unknown))))
    merged = {name: getattr(competition, name) for name in EDITABLE} | fields
    _check_competition(competition, merged)
    before = {name: getattr(competition, name) for name in DATE_FIELDS}
    for name, value in fields.items():
        setattr(competition, name, value.strip() if isinstance(value, str) else value)
    moved = [name for name in DATE_FIELDS if getattr(competition, name) != before[name]]
    if moved and competition.id is not None:
        audit.record(actor, "competition_dates_changed", competition.id, competition.title,
                     {n: _iso(before[n]) for n in moved},
                     {n: _iso(getattr(competition, n)) for n in moved})  # fmt: skip
    return competition


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _check_competition(competition: Competition, values: dict[str, Any]) -> None:
    title = (values["title"] or "").strip()
    if not title:
        raise Invalid(_("Please give the competition a title."), field="title")
    clash = db.session.scalar(
        sa.select(Competition.id).where(
            Competition.title == title, Competition.id != competition.id
        )
    )
    if clash:
        raise Conflict(_("A competition with this title already exists."), field="title")
    if not is_timezone(values["timezone"] or ""):
        raise Invalid(_("Unknown timezone. Use a name such as Asia/Seoul."), field="timezone")
    if not isinstance(values["max_team_size"], int) or values["max_team_size"] < 1:
        raise Invalid(_("The team size must be at least 1."), field="max_team_size")
    for opens, closes in DATE_PAIRS:
        check_window(values[opens], values[closes], closes)


def check_name(name: str | None, others: list[Division] | list[Sponsor], what: str) -> str:
    """A division's or sponsor's name (``what``), stripped, given and unlike ``others``'."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Please name the division.") if what == "division"
                      else _("Please name the sponsor."), field="name")  # fmt: skip
    if any(other.name == name for other in others):
        raise Conflict(_("This competition already has a division with that name.")
                       if what == "division" else
                       _("This competition already has a sponsor with that name."),
                       field="name")  # fmt: skip
    return name


def add_division(competition: Competition, name: str, eligibility: str = "") -> Division:
    name = check_name(name, competition.divisions, "division")
    division = Division(competition=competition, name=name, eligibility=(eligibility or "").strip())
    db.session.add(division)
    db.session.flush()
    return division


def get_division(competition: Competition, division_id: int) -> Division:
    division = db.session.get(Division, division_id)
    if division is None or division.competition_id != competition.id:
        raise NotFound(_("No such division in this competition."), field="division_id")
    return division


def add_sponsor(
    competition: Competition, name: str, website: str = "", description: str = ""
) -> Sponsor:
    name = check_name(name, competition.sponsors, "sponsor")
    sponsor = Sponsor(
        competition=competition,
        name=name,
        website=check_website(website),
        description=(description or "").strip(),
    )
    db.session.add(sponsor)
    db.session.flush()
    return sponsor


def check_website(website: str | None) -> str:
    """A sponsor's website: empty, or a web address (the competition page links to it)."""
    website = (website or "").strip()
    parts = urlsplit(website)
    if website and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise Invalid(_("The website must be a web address starting with https:// or http://."),
                      field="website")  # fmt: skip
    return website


def get_sponsor(competition: Competition, sponsor_id: int) -> Sponsor:
    sponsor = db.session.get(Sponsor, sponsor_id)
    if sponsor is None or sponsor.competition_id != competition.id:
        raise NotFound(_("No such sponsor in this competition."), field="sponsor_id")
    return sponsor


def _check_not_competing(competition: Competition, user: User) -> None:
    """Staff see hidden data: nobody on a team of the competition may become staff of it."""
    team = teams.team_of(user, competition)
    if team is not None:
        raise Conflict(_("%(email)s is a member of the team “%(team)s” in this competition: "
                         "people who compete cannot run it. They must leave the team first.",
                         email=user.email, team=team.name), field="email")  # fmt: skip


def _verified_user(email: str) -> User | None:
    user = accounts.user_by_email(email or "")
    return user if user is not None and user.email_verified and user.is_active else None


def add_sponsor_member(sponsor: Sponsor, email: str, actor: User, *,
                       now: datetime | None = None) -> SponsorMember | StaffInvitation:  # fmt: skip
    """Make the verified owner of ``email`` a member of ``sponsor`` (never someone on a team);
    any other address is mailed an invitation, whether or not it has an account."""
    user = _verified_user(email)
    if user is None:
        return invitations.invite(sponsor.competition, email, actor, now or utcnow(),
                                  sponsor=sponsor)  # fmt: skip
    return _add_sponsor_member(sponsor, user, actor)


def _add_sponsor_member(sponsor: Sponsor, user: User, actor: User) -> SponsorMember:
    if any(m.user_id == user.id for m in sponsor.members):
        raise Conflict(_("%(email)s is already a member of this sponsor.", email=user.email))
    _check_not_competing(sponsor.competition, user)
    member = SponsorMember(sponsor=sponsor, user=user)
    db.session.add(member)
    audit.record(actor, "sponsor_member_added", sponsor.competition_id, user.name, None,
                 {"sponsor": sponsor.name, "email": user.email})  # fmt: skip
    db.session.flush()
    return member


def assign_role(competition: Competition, email: str, role: Role, actor: User, *,
                now: datetime | None = None) -> CompetitionRole | StaffInvitation:  # fmt: skip
    """Make the verified owner of ``email`` an organizer or a judge of ``competition`` (never
    someone on one of its teams); any other address is mailed an invitation, whether or not
    it has an account."""
    user = _verified_user(email)
    if user is None:
        return invitations.invite(competition, email, actor, now or utcnow(), role=role)
    return _assign_role(competition, user, role, actor)


def _assign_role(competition: Competition, user: User, role: Role, actor: User) -> CompetitionRole:
    if any(r.user_id == user.id and r.role == role for r in competition.roles):
        raise Conflict(_("%(email)s already has this role.", email=user.email))
    _check_not_competing(competition, user)
    assignment = CompetitionRole(competition=competition, user=user, role=role)
    db.session.add(assignment)
    audit.record(actor, "role_granted", competition.id, user.name, None,
                 {"role": role.value, "email": user.email})  # fmt: skip
    db.session.flush()
    return assignment


def accept_staff_invitation(token: str, user: User, now: datetime) -> StaffInvitation:
    """Take what a staff invitation offers: only the account whose verified address it was
    sent to may. The grant is audited as made by the organizer who invited."""
    invitation = invitations.find(token, now)
    if not user.email_verified:
        raise Forbidden(_("Please verify your email address first, then open this link again."))
    if user.email != invitation.email:
        raise Forbidden(_("This invitation was sent to another address. Log in with the "
                          "account of that address to accept it."))  # fmt: skip
    if invitation.sponsor is not None:
        _add_sponsor_member(invitation.sponsor, user, invitation.created_by)
    else:
        _assign_role(invitation.competition, user, invitation.role, invitation.created_by)
    invitations.mark_accepted(invitation, user, now)
    return invitation


def remove_role(competition: Competition, role_id: int, actor: User) -> None:
    assignment = db.session.get(CompetitionRole, role_id)
    if assignment is None or assignment.competition_id != competition.id:
        raise NotFound(_("No such role assignment."))
    audit.record(actor, "role_revoked", competition.id, assignment.user.name,
                 {"role": assignment.role.value, "email": assignment.user.email,
                  "user_id": assignment.user_id}, None)  # fmt: skip
    db.session.delete(assignment)
    db.session.flush()


def people_with_role(competition: Competition, role: Role) -> list[CompetitionRole]:
    return [r for r in competition.roles if r.role == role]


@dataclass(frozen=True)
class Entry:
    """What a participant gives with the rules: the consent version they ticked, their
    answers to the competition's fields (by field id) and that they confirmed them."""

    consent_version: int | None = None
    answers: dict[int, str] = field(default_factory=dict)
    confirmed: bool = False


def accept_rules(competition: Competition, user: User, now: datetime,
                 entry: Entry | None = None) -> RulesAcceptance:  # fmt: skip
    """Record that ``user`` accepts the rules, with the competition's consent text in effect
    and the required fields answered; accepting twice keeps the first time (a later call
    accepts a newer consent version or stores changed answers)."""
    entry = entry or Entry()
    consent.accept(competition, user, entry.consent_version, now)
    participant_fields.save(competition, user, entry.answers, entry.confirmed, now)
    existing = db.session.scalar(
        sa.select(RulesAcceptance).where(
            RulesAcceptance.competition_id == competition.id, RulesAcceptance.user_id == user.id
        )
    )
    if existing:
        return existing
    acceptance = RulesAcceptance(competition_id=competition.id, user_id=user.id, accepted_at=now)
    db.session.add(acceptance)
    db.session.flush()
    return acceptance
