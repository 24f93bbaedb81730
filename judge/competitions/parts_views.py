"""The organizer's pages for one division or sponsor: edit it, or remove it after a
confirmation (refused, with the count, while teams or problems hold it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm

from judge.competitions import parts, policy
from judge.competitions import services as competitions
from judge.competitions.forms import DivisionForm, RemoveForm, SponsorForm
from judge.core.web import actor, form_action

bp = Blueprint("competition_parts", __name__, url_prefix="/c/<slug>/manage/<kind>/<int:part_id>")


@dataclass(frozen=True)
class Part:
    form: type[FlaskForm]
    get: Callable[[Any, int], Any]
    update: Callable[..., Any]
    remove: Callable[[Any, Any], None]
    held: Callable[[Any], int]
    fields: tuple[str, ...]
    title: Any
    anchor: str


PARTS = {
    "divisions": Part(DivisionForm, competitions.get_division, parts.update_division,
                      parts.remove_division, parts.teams_in, parts.DIVISION_FIELDS,
                      _l("Division"), "divisions"),
    "sponsors": Part(SponsorForm, competitions.get_sponsor, parts.update_sponsor,
                     parts.remove_sponsor, parts.problems_of, parts.SPONSOR_FIELDS,
                     _l("Sponsor"), "sponsors"),
}  # fmt: skip


def _part(slug: str, kind: str, part_id: int) -> tuple[Part, Any]:
    """The division or sponsor, for the competition's organizers (and site admins)."""
    spec = PARTS.get(kind) or abort(404)
    competition = competitions.get_competition(slug)
    if not policy.is_organizer(actor(), competition):
        abort(403)
    return spec, spec.get(competition, part_id)


def _page(spec: Part, row: Any, kind: str, form: FlaskForm | None = None,
          remove_form: FlaskForm | None = None):  # fmt: skip
    data = {name: getattr(row, name) for name in spec.fields}
    return render_template(
        "competitions/part.html", spec=spec, row=row, kind=kind, competition=row.competition,
        form=form or spec.form(formdata=None, data=data), held=spec.held(row),
        remove_form=remove_form or RemoveForm(formdata=None),
    )  # fmt: skip


def _console(row: Any, spec: Part):
    return redirect(url_for("competitions.manage", slug=row.competition.slug,
                            _anchor=spec.anchor))  # fmt: skip


@bp.route("", methods=["GET", "POST"])
@login_required
def edit(slug: str, kind: str, part_id: int):
    spec, row = _part(slug, kind, part_id)
    form = spec.form()
    if not form.validate_on_submit():
        return _page(spec, row, kind, form if form.is_submitted() else None)
    with form_action(form) as ok:
        spec.update(row, actor(), **{name: form[name].data for name in spec.fields})
    if not ok():
        return _page(spec, row, kind, form)
    flash(_("The changes are saved."), "success")
    return _console(row, spec)


@bp.post("/remove")
@login_required
def remove(slug: str, kind: str, part_id: int):
    spec, row = _part(slug, kind, part_id)
    form, name = RemoveForm(), row.name
    if not form.validate_on_submit():
        return _page(spec, row, kind, remove_form=form)
    with form_action(form) as ok:
        spec.remove(row, actor())
    if not ok():
        return _page(spec, row, kind, remove_form=form)
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for("competitions.manage", slug=slug, _anchor=spec.anchor))
