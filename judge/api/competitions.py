"""/api/v1/competitions: competitions, divisions, sponsors, roles, rules."""

from __future__ import annotations

from flask import jsonify

from judge.api import schemas
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import consent, invitations, parts, policy, states
from judge.competitions import services as competitions
from judge.competitions.models import Role, StaffInvitation
from judge.core.db import unit_of_work, utcnow

PREFIX = "/competitions"
blp = Blueprint("api_competitions", __name__, description="Competitions and their setup")


def organizer_of(slug: str):
    competition = competitions.get_competition(slug)
    allow(policy.is_organizer(required_actor(), competition))
    return competition


@blp.get("")
@blp.response(200, schemas.Competition(many=True))
def list_competitions():
    """The published competitions, newest first; with a token, also the drafts and archived
    competitions you run (``state`` says which)."""
    return states.listed(actor())


@blp.post("")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.CompetitionCreate)
@blp.response(201, schemas.Competition)
@token_required
def create_competition(body: dict):
    """Create a competition with its divisions (site administrators). It starts as a draft,
    seen only by its staff until an organizer publishes it."""
    user = required_actor()
    allow(user.is_admin)
    divisions = body.pop("divisions")
    with unit_of_work():
        competition = competitions.create_competition(actor=user, **body)
        for division in divisions:
            competitions.add_division(competition, division["name"], division["eligibility"])
    return competition


@blp.get("/<slug>")
@blp.response(200, schemas.Competition)
def get_competition(slug: str):
    """One competition with its divisions and sponsors."""
    actor()
    return competitions.get_competition(slug)


@blp.post("/<slug>/publish")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.Competition)
@token_required
def publish(slug: str):
    """Publish a draft (organizers): everyone sees it, its published problems, their public
    leaderboards and its notices (409 when it is not a draft)."""
    competition = organizer_of(slug)
    with unit_of_work():
        states.publish(competition, required_actor())
    return competition


@blp.patch("/<slug>")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.CompetitionFields)
@blp.response(200, schemas.Competition)
@token_required
def update_competition(body: dict, slug: str):
    """Change settings and dates (organizers)."""
    with unit_of_work():
        competition = competitions.update_competition(
            organizer_of(slug), actor=required_actor(), **body
        )
    return competition


@blp.get("/<slug>/divisions")
@blp.response(200, schemas.Division(many=True))
def list_divisions(slug: str):
    """The competition's divisions (tracks)."""
    return competitions.get_competition(slug).divisions


@blp.post("/<slug>/divisions")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.DivisionIn)
@blp.response(201, schemas.Division)
@token_required
def add_division(body: dict, slug: str):
    """Add a division (organizers)."""
    with unit_of_work():
        division = competitions.add_division(organizer_of(slug), body["name"], body["eligibility"])
    return division


@blp.patch("/<slug>/divisions/<int:division_id>")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.DivisionChange)
@blp.response(200, schemas.Division)
@token_required
def update_division(body: dict, slug: str, division_id: int):
    """Rename a division or change its eligibility (organizers); audited."""
    division = competitions.get_division(organizer_of(slug), division_id)
    with unit_of_work():
        parts.update_division(division, required_actor(), **body)
    return division


@blp.delete("/<slug>/divisions/<int:division_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def remove_division(slug: str, division_id: int):
    """Remove a division no team belongs to (organizers); audited."""
    division = competitions.get_division(organizer_of(slug), division_id)
    with unit_of_work():
        parts.remove_division(division, required_actor())


@blp.get("/<slug>/sponsors")
@blp.response(200, schemas.Sponsor(many=True))
def list_sponsors(slug: str):
    """The companies posing problems."""
    return competitions.get_competition(slug).sponsors


@blp.post("/<slug>/sponsors")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.SponsorIn)
@blp.response(201, schemas.Sponsor)
@token_required
def add_sponsor(body: dict, slug: str):
    """Add a sponsor (organizers)."""
    with unit_of_work():
        sponsor = competitions.add_sponsor(organizer_of(slug), **body)
    return sponsor


@blp.patch("/<slug>/sponsors/<int:sponsor_id>")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.SponsorChange)
@blp.response(200, schemas.Sponsor)
@token_required
def update_sponsor(body: dict, slug: str, sponsor_id: int):
    """Change a sponsor's name, website or description (organizers); audited."""
    sponsor = competitions.get_sponsor(organizer_of(slug), sponsor_id)
    with unit_of_work():
        parts.update_sponsor(sponsor, required_actor(), **body)
    return sponsor


@blp.delete("/<slug>/sponsors/<int:sponsor_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def remove_sponsor(slug: str, sponsor_id: int):
    """Remove a sponsor with no problems (organizers); audited."""
    sponsor = competitions.get_sponsor(organizer_of(slug), sponsor_id)
    with unit_of_work():
        parts.remove_sponsor(sponsor, required_actor())


@blp.get("/<slug>/sponsors/<int:sponsor_id>/members")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.SponsorMember(many=True))
@token_required
def list_sponsor_members(slug: str, sponsor_id: int):
    """A sponsor's members (organizers and the sponsor's own members)."""
    competition = competitions.get_competition(slug)
    sponsor = competitions.get_sponsor(competition, sponsor_id)
    user = required_actor()
    allow(policy.is_organizer(user, competition) or policy.is_sponsor_member(user, sponsor))
    return sponsor.members


@blp.post("/<slug>/sponsors/<int:sponsor_id>/members")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.EmailIn)
@blp.response(201, schemas.SponsorMember)
@blp.alt_response(202, schema=schemas.StaffInvitationOut, description="Invitation mailed")
@token_required
def add_sponsor_member(body: dict, slug: str, sponsor_id: int):
    """Make the verified owner of an address a member of a sponsor (201); any other address
    is mailed an invitation (202) (organizers)."""
    with unit_of_work():
        sponsor = competitions.get_sponsor(organizer_of(slug), sponsor_id)
        member = competitions.add_sponsor_member(
            sponsor, body["email"], required_actor(), now=utcnow()
        )
    return _invited(member)


def _invited(result):
    """A staff invitation answers 202 with its own shape; a grant goes on as 201."""
    if isinstance(result, StaffInvitation):
        response = jsonify(schemas.StaffInvitationOut().dump(result))
        response.status_code = 202
        return response
    return result


@blp.get("/<slug>/roles")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.RoleOut(many=True))
@token_required
def list_roles(slug: str):
    """Organizers and judges (organizers)."""
    return organizer_of(slug).roles


@blp.post("/<slug>/roles")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.RoleIn)
@blp.response(201, schemas.RoleOut)
@blp.alt_response(202, schema=schemas.StaffInvitationOut, description="Invitation mailed")
@token_required
def assign_role(body: dict, slug: str):
    """Appoint the verified owner of an address an organizer or a judge (201); any other
    address is mailed an invitation (202) (organizers)."""
    with unit_of_work():
        competition = organizer_of(slug)
        role = competitions.assign_role(competition, body["email"], Role(body["role"]),
                                        required_actor(), now=utcnow())  # fmt: skip
    return _invited(role)


@blp.get("/<slug>/invitations")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.StaffInvitationOut(many=True))
@token_required
def list_invitations(slug: str):
    """Pending staff invitations (organizers)."""
    return invitations.pending(organizer_of(slug), utcnow())


@blp.delete("/<slug>/invitations/<int:invitation_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def revoke_invitation(slug: str, invitation_id: int):
    """Withdraw a pending staff invitation; its link stops working (organizers)."""
    with unit_of_work():
        invitations.revoke(organizer_of(slug), invitation_id, required_actor(), utcnow())


@blp.delete("/<slug>/roles/<int:role_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def remove_role(slug: str, role_id: int):
    """Withdraw an organizer or judge role (organizers)."""
    with unit_of_work():
        competitions.remove_role(organizer_of(slug), role_id, required_actor())


@blp.post("/<slug>/rules/accept")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.RulesAcceptanceIn, required=False)
@blp.response(200, schemas.RulesAcceptance)
@token_required
def accept_rules(body: dict, slug: str):
    """Accept the competition's rules (needed before downloading data or forming a team),
    with the version of its consent terms shown (``consent_version``), ``answers`` to its
    participant fields by field id and ``confirm`` that they are true, when it asks them."""
    competition = competitions.get_competition(slug)
    entry = competitions.Entry(body.get("consent_version"), body.get("answers") or {},
                               body.get("confirm", False))  # fmt: skip
    with unit_of_work():
        acceptance = competitions.accept_rules(competition, required_actor(), utcnow(), entry)
        version = consent.current(competition)
    return {"competition": competition.slug, "accepted_at": acceptance.accepted_at,
            "consent_version": version.version if version else None}  # fmt: skip
