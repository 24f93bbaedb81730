"""A sponsor's change to a published problem that matters (title, metric, dates, limits)
tells the organizers: once per change, through the API or the pages, in their language."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from tests.api.conftest import ApiClient
from tests.notifications.helpers import deliver, received, set_locale, told
from tests.web.test_program_pages import code_form


@pytest.fixture
def api(client, make) -> ApiClient:
    return ApiClient(client, make)


def changes(cast) -> list:
    return told(cast["organizer"], Kind.PROBLEM_CHANGED)


def test_a_sponsors_api_change_tells_the_organizers_once_per_change(cast, api, inbox):
    set_locale(cast["organizer"], "ko")
    path = f"/problems/{cast.problem.id}"
    body = {"title": "Defects v2", "daily_limit": 3, "description": "Now with photos."}
    assert api.patch(path, as_=cast["sponsor"], json=body).status_code == 200
    (row,) = changes(cast)  # one notification for the three fields
    assert row.params == {"problem": "Defects v2", "who": "Sam Sponsor",
                          "fields": ["daily_limit", "title"]}  # fmt: skip
    assert api.patch(path, as_=cast["sponsor"], json={"description": "Words."}).status_code == 200
    assert api.patch(path, as_=cast["sponsor"], json=body).status_code == 200  # no change
    assert len(changes(cast)) == 1  # the words only, or nothing new: not told
    assert api.patch(path, as_=cast["organizer"], json={"daily_limit": 9}).status_code == 200
    assert len(changes(cast)) == 1  # an organizer's own change
    assert api.patch(path, as_=cast["sponsor"], json={"total_limit": 50}).status_code == 200
    assert len(changes(cast)) == 2  # a new change event
    for role in ("sponsor", "participant", "rival", "judge", "admin", "other_sponsor"):
        assert told(cast[role], Kind.PROBLEM_CHANGED) == []
    deliver()
    first, _second = received(inbox, cast["organizer"], "Sam Sponsor")
    assert "일일 제출 한도, 제목" in first["Subject"] and "변경했습니다" in first["Subject"]


def test_a_draft_changes_without_telling_anyone(cast, api):
    path = f"/problems/{cast.draft.id}"
    assert api.patch(path, as_=cast["sponsor"], json={"title": "Still secret"}).status_code == 200
    assert changes(cast) == []


def test_a_sponsors_change_of_code_limits_on_the_page_tells_the_organizers(cast, browser):
    with unit_of_work():  # published, not open yet: the sponsor may still set the limits
        db.session.merge(cast.problem).opens_at = utcnow() + timedelta(days=2)
    url = f"/c/{cast.competition.slug}/p/visible/code"
    data = code_form(cpu_seconds="60") | {"inputs": (io.BytesIO(b"id,x\n1,2\n"), "test.csv")}
    assert browser("sponsor").post(url, data=data).status_code == 302
    (row,) = changes(cast)
    assert row.params["fields"] == ["limits"] and row.link.endswith("/p/visible/manage")
