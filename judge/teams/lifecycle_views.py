"""A leader's changes to the team: remove a member, hand over the lead, change division,
and merge requests. Each acts on the current user's own team in the competition; the
irreversible ones (removal, hand-over, accepting a merge) ask first on a page of their own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from judge.accounts.forms import EmptyForm
from judge.competitions import services as competitions
from judge.core.db import utcnow
from judge.core.web import Choice, actor, button_action, confirm_page, form_action
from judge.teams import lifecycle, merges
from judge.teams.forms import DivisionForm, MergeRequestForm
from judge.teams.models import Team
from judge.teams.views import led_team, merge_candidates, team_page

bp = Blueprint("team_lifecycle", __name__)


def _back(team: Team, anchor: str = "lifecycle"):
    return redirect(url_for("teams.show", team_id=team.id, _anchor=anchor))


def _confirm(team: Team, title: str, text: str, button: str):
    return confirm_page(title, [text], url_for("teams.show", team_id=team.id), [Choice(button)])


def _member_name(team: Team, user_id: int) -> str:
    name = next((m.name for m in team.roster if m.id == user_id), None)
    if name is None:
        abort(404)
    return name


@bp.route("/c/<slug>/team/members/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def remove(slug: str, user_id: int):
    team = led_team(competitions.get_competition(slug))
    name = _member_name(team, user_id)
    if request.method == "POST":
        button_action(lambda: lifecycle.remove_member(team, user_id, actor(), utcnow()),
                      _("%(name)s is no longer a member of the team.", name=name))  # fmt: skip
        return _back(team)
    return _confirm(
        team, _("Remove %(name)s from the team?", name=name),
        _("They are told, and cannot come back unless they join again. The submissions they "
          "made stay with the team and keep counting toward its limits."),
        _("Remove from the team"))  # fmt: skip


@bp.route("/c/<slug>/team/members/<int:user_id>/lead", methods=["GET", "POST"])
@login_required
def hand_over(slug: str, user_id: int):
    team = led_team(competitions.get_competition(slug))
    name = _member_name(team, user_id)
    if request.method == "POST":
        button_action(lambda: lifecycle.hand_over(team, user_id, actor(), utcnow()),
                      _("%(name)s now leads the team.", name=name))  # fmt: skip
        return _back(team)
    return _confirm(
        team, _("Make %(name)s the team's leader?", name=name),
        _("You stay a member but can no longer remove members, rename the team or answer "
          "merge requests; only the new leader can give the role back."),
        _("Hand over the lead"))  # fmt: skip


@bp.post("/c/<slug>/team/division")
@login_required
def change_division(slug: str):
    competition = competitions.get_competition(slug)
    team = led_team(competition)
    form = DivisionForm.of(competition)
    if form.validate_on_submit():
        with form_action(form) as ok:
            division = competitions.get_division(competition, form.division_id.data)
            lifecycle.change_division(team, division, actor(), utcnow())
        if ok():
            flash(_("The team is now in the division “%(division)s”.", division=division.name),
                  "success")  # fmt: skip
            return _back(team)
    return team_page(team, division_form=form)


@bp.post("/c/<slug>/team/merge-requests")
@login_required
def request_merge(slug: str):
    team = led_team(competitions.get_competition(slug))
    form = MergeRequestForm.of(merge_candidates(team))
    if form.validate_on_submit():
        with form_action(form) as ok:
            merges.request_merge(team, form.team_id.data, actor(), utcnow())
        if ok():
            flash(_("The request is sent; the other team's leader will answer it."), "success")
            return _back(team, "merges")
    return team_page(team, merge_form=form)


@bp.route("/c/<slug>/team/merge-requests/<int:request_id>/accept", methods=["GET", "POST"])
@login_required
def accept(slug: str, request_id: int):
    team = led_team(competitions.get_competition(slug))
    if request.method == "POST":
        return _accept(team, request_id)
    asked = next((r for r in merges.incoming(team) if r.id == request_id), None)
    if asked is None:
        abort(404)
    members, submissions = merges.merge_plan(team)
    into = asked.into_team.name
    lines = [
        _("%(members)s and %(submissions)s move to %(team)s.", team=into,
          members=ngettext("%(num)d member", "%(num)d members", members),
          submissions=ngettext("%(num)d submission", "%(num)d submissions", submissions)),
        _("Every member and every submission of your team moves to %(team)s, your team's "
          "final selections are cleared, and your team is disbanded. This cannot be undone.",
          team=into),
    ]  # fmt: skip
    return confirm_page(
        _("Merge your team into %(team)s?", team=into),
        lines,
        url_for("teams.show", team_id=team.id),
        [Choice(_("Merge the teams"))],
    )


def _accept(team: Team, request_id: int):
    if EmptyForm().validate_on_submit():
        with form_action() as ok:
            into = merges.accept(team, request_id, actor(), utcnow())
        if ok():
            flash(_("Your team merged into %(team)s.", team=into.name), "success")
            return redirect(url_for("teams.show", team_id=into.id))
    return _back(team, "merges")


@bp.post("/c/<slug>/team/merge-requests/<int:request_id>/decline")
@login_required
def decline(slug: str, request_id: int):
    team = led_team(competitions.get_competition(slug))
    button_action(lambda: merges.decline(team, request_id, actor(), utcnow()),
                  _("The merge request is declined."))  # fmt: skip
    return _back(team, "merges")
