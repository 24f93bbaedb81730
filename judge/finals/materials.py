"""Finalists hand in their code and a report (slides or a paper) before a deadline.

Only members of a shortlisted, not disqualified team upload, until the finals'
upload deadline, each file within the size the organizers set. The organizers, the
competition's judges of the problem (except a judge with a conflict of interest with the
team), the problem's sponsor and the team itself may download them.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from judge.accounts.models import User
from judge.competitions import policy
from judge.core import storage
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.finals import judging
from judge.finals.models import Finalist
from judge.finals.services import settings_of
from judge.problems import services as problems
from judge.teams import services as teams

KINDS = {"code": (".zip",), "report": (".pdf", ".pptx", ".docx", ".hwp", ".hwpx")}


def max_bytes(finalist: Finalist) -> int:
    return settings_of(finalist.problem.competition).max_upload_mb * 1024 * 1024


def check_may_upload(finalist: Finalist, user: User, now: datetime) -> None:
    settings = settings_of(finalist.problem.competition)
    if settings.locked_at is not None:
        raise Conflict(_("The results are finalized: the finals' hand-ins are closed."))
    if not teams.is_member(user, finalist.team) or finalist.disqualified:
        raise Forbidden(_("Only the finalist team's members hand in its materials."))
    if settings.uploads_close_at is not None and now >= settings.uploads_close_at:
        raise Conflict(_("The finalists' uploads are closed."))


def hand_in(finalist: Finalist, user: User, kind: str, upload: storage.StagedFile,
            filename: str, now: datetime) -> Finalist:  # fmt: skip
    check_may_upload(finalist, user, now)
    name = problems.clean_filename(filename)
    if problems.extension(name) not in KINDS[kind]:
        raise Invalid(_("Upload the %(what)s as one of: %(types)s",
                        what=_("code") if kind == "code" else _("report"),
                        types=", ".join(KINDS[kind])), field=kind)  # fmt: skip
    key = storage.put(upload)
    if kind == "code":
        finalist.code_key, finalist.code_filename = key, name
    else:
        finalist.report_key, finalist.report_filename = key, name
    finalist.uploaded_at = now
    db.session.flush()
    return finalist


def may_download(user: User | None, finalist: Finalist) -> bool:
    competition = finalist.problem.competition
    return (
        policy.is_organizer(user, competition)
        or (
            policy.is_judge(user, competition)
            and judging.judges_problem(user, finalist.problem)
            and not judging.conflicted(user, finalist)
        )
        or problems.can_manage(user, finalist.problem)
        or teams.is_member(user, finalist.team)
    )
