"""Competition pages: the list, one competition, and the organizer's console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from judge.accounts.forms import EmptyForm
from judge.competitions import (
    consent,
    export,
    invitations,
    participant_fields,
    participants,
    policy,
    services,
    states,
    timeline,
)
from judge.competitions.access import organized
from judge.competitions.forms import (
    COMMON_TIMEZONES,
    CompetitionForm,
    ConsentForm,
    DivisionForm,
    NewCompetitionForm,
    ParticipantFieldForm,
    RoleForm,
    SponsorForm,
    SponsorMemberForm,
    entry_from,
    sponsor_choices,
)
from judge.competitions.models import Competition, Role, StaffInvitation
from judge.core.db import unit_of_work, utcnow
from judge.core.downloads import attachment
from judge.core.web import actor, button_action, form_action, safe_next
from judge.finals.notices import finals_notice
from judge.notices import policy as notice_policy
from judge.notices import services as notices
from judge.problems import review, series_pages
from judge.problems import services as problems
from judge.teams import services as teams
from judge.teams.forms import CreateTeamForm, JoinTeamForm

bp = Blueprint("competitions", __name__)


@bp.context_processor
def _timezones() -> dict[str, Any]:
    return {"common_timezones": COMMON_TIMEZONES}


@bp.get("/")
def index():
    listed = states.by_state(states.listed(actor()))
    counts = {
        c.id: (len(teams.teams_in(c)), len(problems.visible_problems(c, None)))
        for c in listed[states.PUBLISHED]
    }
    return render_template("competitions/index.html", listed=listed, counts=counts)


@bp.route("/competitions/new", methods=["GET", "POST"])
@login_required
def create():
    if not current_user.is_admin:
        abort(403)
    form = NewCompetitionForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            competition = _create_with_divisions(form)
        if ok():
            flash(_("The competition is created."), "success")
            return redirect(url_for(".manage", slug=competition.slug))
    return render_template("competitions/new.html", form=form)


def _create_with_divisions(form: NewCompetitionForm) -> Competition:
    competition = services.create_competition(slug=form.slug.data, actor=actor(), **form.settings())
    for name, eligibility in form.division_lines():
        services.add_division(competition, name, eligibility)
    return competition


@bp.get("/c/<slug>")
def show(slug: str):
    competition = services.get_competition(slug)
    return render_template("competitions/show.html", **overview(competition))


def overview(competition: Competition) -> dict[str, Any]:
    """What the competition page shows to the current user."""
    user, now = actor(), utcnow()
    return {
        "competition": competition,
        "problems": (visible := problems.visible_problems(competition, user)),
        "problem_entries": series_pages.listing(visible, user, now),
        "team": teams.team_of(user, competition),
        "accepted": policy.has_accepted_rules(user, competition),
        "is_organizer": policy.is_organizer(user, competition),
        "is_staff": policy.is_staff(user, competition),
        "can_add_problem": _can_add_problem(competition),
        "create_form": CreateTeamForm.of(competition, formdata=None),
        "join_form": JoinTeamForm(formdata=None),
        "is_judge": policy.is_judge(user, competition),
        "finals": finals_notice(competition, user),
        "milestone": timeline.next_milestone(competition, now),
        "notices": notices.visible_notices(competition, user),
        "notice_editable": lambda notice: notice_policy.can_edit(user, notice),
        "now": now,
    } | _entry(competition, user)


def _entry(competition: Competition, user: Any) -> dict[str, Any]:
    """The rules form's parts: the consent text to tick, the fields and the user's answers."""
    signed_in = getattr(user, "is_authenticated", False)
    return {
        "consent": consent.pending(user, competition)
        if signed_in
        else consent.current(competition),
        "consent_outdated": consent.outdated(user, competition),
        "fields": participant_fields.active(competition),
        "answers": participant_fields.answers_of(user, competition) if signed_in else {},
    }


def _can_add_problem(competition: Competition) -> bool:
    user = actor()
    return policy.is_organizer(user, competition) or bool(policy.sponsor_ids_of(user, competition))


@bp.post("/c/<slug>/rules/accept")
@login_required
def accept_rules(slug: str):
    competition = services.get_competition(slug)
    if EmptyForm().validate_on_submit():
        entry = entry_from(request.form, participant_fields.active(competition))
        with form_action() as ok:
            services.accept_rules(competition, actor(), utcnow(), entry)
        if ok():
            flash(_("Thank you. You have accepted the rules."), "success")
    default = url_for(".show", slug=slug, _anchor="rules")
    return redirect(safe_next(request.form.get("next"), default))


@bp.post("/c/<slug>/details")
@login_required
def save_details(slug: str):
    competition = services.get_competition(slug)
    if EmptyForm().validate_on_submit():
        entry = entry_from(request.form, participant_fields.active(competition))
        with form_action() as ok:
            participant_fields.save(competition, actor(), entry.answers, entry.confirmed, utcnow())
        if ok():
            flash(_("Your details are saved."), "success")
    return redirect(url_for(".show", slug=slug, _anchor="details"))


# --- the organizer's console ------------------------------------------------------------


def _console(competition: Competition, **failed: FlaskForm):
    """Render the console; a form that failed replaces its empty twin."""
    member_form = SponsorMemberForm(formdata=None, prefix="member")
    forms = {
        "settings_form": CompetitionForm.of(competition, prefix="settings"),
        "division_form": DivisionForm(formdata=None, prefix="division"),
        "sponsor_form": SponsorForm(formdata=None, prefix="sponsor"),
        "member_form": member_form,
        "role_form": RoleForm(formdata=None, prefix="role"),
        "consent_form": _consent_form(competition),
        "field_form": ParticipantFieldForm(formdata=None, prefix="field"),
    } | failed
    _sponsor_choices(forms["member_form"], competition)
    forms["field_form"].with_divisions(competition.divisions)
    return render_template(
        "competitions/manage.html",
        competition=competition,
        teams=teams.teams_in(competition, disbanded=True),
        problems=problems.visible_problems(competition, actor()),
        review_queue=review.waiting(competition),
        organizers=services.people_with_role(competition, Role.ORGANIZER),
        judges=services.people_with_role(competition, Role.JUDGE),
        invitations=invitations.pending(competition, utcnow()),
        consent_current=consent.current(competition),
        fields=participant_fields.active(competition),
        **forms,
    )


def _consent_form(competition: Competition) -> ConsentForm:
    current = consent.current(competition)
    data = {"text_ko": current.text_ko, "text_en": current.text_en} if current else {}
    return ConsentForm(formdata=None, data=data, prefix="consent")


def _sponsor_choices(form: SponsorMemberForm, competition: Competition) -> None:
    form.sponsor_id.choices = sponsor_choices(competition.sponsors)


def _console_action(
    competition: Competition,
    key: str,
    form: FlaskForm,
    action: Callable[[], Any],
    done: str | Callable[[Any], str],
):
    """Validate ``form``, run ``action`` as one unit of work, then back to the console;
    ``done`` is the message, or makes it from what ``action`` returned."""
    if form.validate_on_submit():
        with form_action(form) as ok:
            result = action()
        if ok():
            flash(done(result) if callable(done) else done, "success")
            return redirect(url_for(".manage", slug=competition.slug))
    return _console(competition, **{key: form})


@bp.get("/c/<slug>/manage")
@login_required
def manage(slug: str):
    return _console(organized(slug))


@bp.post("/c/<slug>/manage/settings")
@login_required
def update_settings(slug: str):
    competition = organized(slug)
    form = CompetitionForm(prefix="settings")
    return _console_action(
        competition,
        "settings_form",
        form,
        lambda: services.update_competition(competition, actor=actor(), **form.settings()),
        _("The settings are saved."),
    )


@bp.post("/c/<slug>/manage/divisions")
@login_required
def add_division(slug: str):
    competition = organized(slug)
    form = DivisionForm(prefix="division")
    return _console_action(
        competition,
        "division_form",
        form,
        lambda: services.add_division(competition, form.name.data, form.eligibility.data),
        _("The division is added."),
    )


@bp.post("/c/<slug>/manage/sponsors")
@login_required
def add_sponsor(slug: str):
    competition = organized(slug)
    form = SponsorForm(prefix="sponsor")
    return _console_action(
        competition,
        "sponsor_form",
        form,
        lambda: services.add_sponsor(
            competition, form.name.data, form.website.data, form.description.data
        ),
        _("The sponsor is added."),
    )


@bp.post("/c/<slug>/manage/sponsor-members")
@login_required
def add_sponsor_member(slug: str):
    competition = organized(slug)
    form = SponsorMemberForm(prefix="member")
    _sponsor_choices(form, competition)
    return _console_action(
        competition,
        "member_form",
        form,
        lambda: services.add_sponsor_member(
            services.get_sponsor(competition, form.sponsor_id.data),
            form.email.data,
            actor(),
            now=utcnow(),
        ),
        lambda result: _granted_or_invited(result, _("The sponsor member is added.")),
    )


def _granted_or_invited(result: Any, granted: str) -> str:
    if isinstance(result, StaffInvitation):
        return _(
            "An invitation is mailed to %(email)s; it takes effect when they accept it.",
            email=result.email,
        )
    return granted


@bp.post("/c/<slug>/manage/roles")
@login_required
def assign_role(slug: str):
    competition = organized(slug)
    form = RoleForm(prefix="role")
    return _console_action(
        competition,
        "role_form",
        form,
        lambda: services.assign_role(
            competition, form.email.data, Role(form.role.data), actor(), now=utcnow()
        ),
        lambda result: _granted_or_invited(result, _("The role is assigned.")),
    )


@bp.post("/c/<slug>/manage/roles/<int:role_id>/remove")
@login_required
def remove_role(slug: str, role_id: int):
    competition = organized(slug)
    button_action(
        lambda: services.remove_role(competition, role_id, actor()), _("The role is removed.")
    )
    return redirect(url_for(".manage", slug=slug))


@bp.post("/c/<slug>/manage/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int):
    competition = organized(slug)
    button_action(
        lambda: invitations.revoke(competition, invitation_id, actor(), utcnow()),
        _("The invitation is withdrawn; its link no longer works."),
    )
    return redirect(url_for(".manage", slug=slug, _anchor="invitations"))


@bp.post("/c/<slug>/manage/consent")
@login_required
def publish_consent(slug: str):
    competition = organized(slug)
    form = ConsentForm(prefix="consent")
    return _console_action(
        competition,
        "consent_form",
        form,
        lambda: consent.publish(
            competition, form.text_ko.data, form.text_en.data, actor(), utcnow()
        ),
        lambda published: _("Version %(version)d of the consent text is published.",
                            version=published.version),
    )  # fmt: skip


@bp.post("/c/<slug>/manage/fields")
@login_required
def add_field(slug: str):
    competition = organized(slug)
    form = ParticipantFieldForm(prefix="field").with_divisions(competition.divisions)
    return _console_action(
        competition,
        "field_form",
        form,
        lambda: participant_fields.add_field(
            competition, form.label_ko.data, form.label_en.data, form.required.data,
            services.get_division(competition, form.division_id.data)
            if form.division_id.data else None,
            actor(), utcnow(),
        ),
        _("The field is added; participants are asked for it."),
    )  # fmt: skip


@bp.post("/c/<slug>/manage/fields/<int:field_id>/remove")
@login_required
def remove_field(slug: str, field_id: int):
    competition = organized(slug)
    button_action(
        lambda: participant_fields.remove_field(competition, field_id, actor(), utcnow()),
        _("The field is no longer asked; the answers given are kept."),
    )
    return redirect(url_for(".manage", slug=slug, _anchor="fields"))


@bp.get("/c/<slug>/participants")
@login_required
def participant_list(slug: str):
    competition = organized(slug)
    return render_template(
        "competitions/participants.html",
        competition=competition,
        columns=participants.columns(competition),
        roster=participants.roster(competition),
        teams=teams.teams_in(competition, disbanded=True),
    )


@bp.get("/c/<slug>/participants.<any(csv, xlsx):fmt>")
@login_required
def export_participants(slug: str, fmt: str):
    competition = organized(slug)
    with unit_of_work():  # the export is audited
        file = export.export(competition, fmt, actor(), utcnow())
    return attachment(Response(file.data, mimetype=file.mimetype), file.filename)
