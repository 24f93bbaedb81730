"""Certificates (상장) of the published results: one PDF per award, or all in one ZIP.

Anyone without the right to a certificate gets 404, whether it exists or not: its members
download their team's, organizers any, and only while the results are published.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_babel import gettext as _
from flask_login import login_required

from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.downloads import attachment
from judge.core.web import actor
from judge.finals import certificates, printing

bp = Blueprint("certificates", __name__, url_prefix="/c/<slug>/results")


@bp.get("/certificates/<key>/<any(ko, en):language>.pdf")
def download(slug: str, key: str, language: str):
    competition = competitions.get_competition(slug)
    award = certificates.find(actor(), competition, key)
    if award is None:
        abort(404)
    pdf = Response(printing.render(award, language), mimetype="application/pdf")
    return attachment(pdf, award.filename(language))


@bp.get("/certificates.zip")
@login_required
def archive(slug: str):
    """Every certificate in both languages for the organizers, streamed as it is laid out."""
    competition = competitions.get_competition(slug)
    if not policy.is_organizer(actor(), competition):
        abort(403)
    awards = certificates.awards(competition)
    if not awards:
        abort(404, _("No certificates: the results are not published or award nothing."))
    zipped = Response(printing.archive(awards), mimetype="application/zip")
    return attachment(zipped, f"certificates-{competition.slug}.zip")
