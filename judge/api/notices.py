"""/api/v1/competitions/<slug>/notices: the competition's notices, and posting one (staff)."""

from __future__ import annotations

from judge.api import schemas
from judge.api.auth import SECURITY, actor, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import services as competitions
from judge.core.db import unit_of_work, utcnow
from judge.notices import services as notices

PREFIX = "/competitions"
blp = Blueprint("api_notices", __name__, description="Notices (공지사항)")


@blp.get("/<slug>/notices")
@blp.response(200, schemas.Notice(many=True))
def list_notices(slug: str):
    """The notices the caller may read, pinned first, then newest first."""
    return notices.visible_notices(competitions.get_competition(slug), actor())


@blp.post("/<slug>/notices")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.NoticeIn)
@blp.response(201, schemas.Notice)
@token_required
def post_notice(body: dict, slug: str):
    """Post a notice (organizers; a sponsor's members about their sponsor's problems)."""
    competition = competitions.get_competition(slug)
    with unit_of_work():
        problem = notices.problem_of(competition, body.pop("problem_id"), required_actor())
        notice = notices.post_notice(competition, required_actor(), utcnow(), problem=problem,
                                     **body)  # fmt: skip
    return notice
