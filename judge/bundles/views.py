"""The organizer's page for importing a Codabench / CodaLab bundle into a competition."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from judge.bundles.importing import SPONSOR_NAME, Imported, import_bundle
from judge.bundles.reading import read
from judge.competitions.access import organized
from judge.core import uploads
from judge.core.web import actor, form_action

bp = Blueprint("bundles", __name__, url_prefix="/c/<slug>/manage/bundle")


class BundleForm(FlaskForm):
    bundle = FileField(_l("Competition bundle (zip with competition.yaml, or a task upload with "
                          "task.yaml)"),
                       validators=[FileRequired()])  # fmt: skip
    sponsor = StringField(_l("Sponsor (created if missing; empty: the first sponsor)"),
                          validators=[Optional(), Length(max=SPONSOR_NAME)])  # fmt: skip


def _may_import(slug: str):
    """Before the bundle is read: logged in, organizing the competition."""
    if (login := uploads.unless_logged_in()) is not None:
        return login
    organized(slug)
    return None


@bp.route("", methods=["GET", "POST"])
@login_required
@uploads.checked_first(_may_import)
def upload(slug: str):
    competition = organized(slug)
    form = BundleForm()
    done: Imported | None = None
    if form.validate_on_submit():
        with tempfile.TemporaryDirectory(prefix="judge-bundle-") as tmp:
            path = Path(tmp) / "bundle.zip"
            form.bundle.data.save(path)
            with form_action(form) as ok:
                done = import_bundle(read(path, Path(tmp) / "work"), competition, actor(),
                                     form.sponsor.data)  # fmt: skip
            if not ok():
                done = None
    return render_template("bundles/upload.html", competition=competition, form=form,
                           done=done)  # fmt: skip
