"""Notices (공지사항): who posts them, where they show, and who never sees a draft's."""

from __future__ import annotations

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.extensions import db
from judge.notices.models import Notice
from judge.notices.tasks import fan_out_task
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification

DRAFT_NOTICE = "Draft-only notice"


def base(cast) -> str:
    return f"/c/{cast.competition.slug}"


def post(browser, cast, role: str, **fields):
    data = {"title": "Notice", "body": "Read **this**.", "problem_id": "0"} | fields
    return browser(role).post(f"{base(cast)}/notices/new", data=data)


def notices() -> list[Notice]:
    return list(db.session.scalars(sa.select(Notice).order_by(Notice.id)))


def test_pinned_notices_come_first_then_the_newest(browser, cast):
    post(browser, cast, "organizer", title="Old pinned rules", pinned="y")
    post(browser, cast, "organizer", title="First news")
    post(browser, cast, "sponsor", title="Data fix", problem_id=str(cast.problem.id))
    page = browser("anonymous").get(base(cast)).text
    assert page.index("Old pinned rules") < page.index("Data fix") < page.index("First news")
    assert "<strong>this</strong>" in page  # Markdown, through the sanitizer
    problem_page = browser("anonymous").get(f"{base(cast)}/p/{cast.problem.slug}").text
    assert "Data fix" in problem_page and "Old pinned rules" in problem_page


def test_a_notice_is_sanitized_and_dated_in_the_competitions_zone(browser, cast):
    post(browser, cast, "organizer", body="<script>alert(1)</script>*ok*")
    page = browser("participant").get(base(cast)).text
    assert "<script>alert(1)" not in page and "<em>ok</em>" in page
    assert "KST" in page.split('id="notices"')[1].split("</section>")[0]


def test_only_organizers_and_the_problems_sponsor_post(browser, cast):
    for role in ("participant", "judge", "outsider"):
        assert browser(role).get(f"{base(cast)}/notices/new").status_code == 403
        assert post(browser, cast, role).status_code == 403
    # A sponsor's member posts about its own problems only, never for the whole competition.
    assert post(browser, cast, "sponsor").status_code == 200
    # Another sponsor, without problems of its own here, may post nothing.
    assert post(browser, cast, "other_sponsor", problem_id=str(cast.problem.id)).status_code == 403
    assert notices() == []
    assert post(browser, cast, "anonymous").status_code == 302  # to the login page
    assert notices() == []


def test_a_draft_problems_notice_is_for_its_staff_only(browser, cast):
    post(browser, cast, "sponsor", title=DRAFT_NOTICE, problem_id=str(cast.draft.id))
    for role in ("anonymous", "participant", "judge", "other_sponsor"):
        assert DRAFT_NOTICE not in browser(role).get(base(cast)).text, role
    api = browser("anonymous").get(f"/api/v1/competitions/{cast.competition.slug}/notices")
    assert DRAFT_NOTICE not in api.text
    for role in ("sponsor", "organizer"):
        assert DRAFT_NOTICE in browser(role).get(base(cast)).text, role


def test_a_draft_problems_notice_cannot_be_sent_to_participants(browser, cast):
    response = post(browser, cast, "organizer", problem_id=str(cast.draft.id),
                    email_participants="y")  # fmt: skip
    assert "participants cannot be told about it yet" in response.text
    told = sa.select(sa.func.count(Notification.id)).where(Notification.kind == Kind.NOTICE)
    assert notices() == [] and db.session.scalar(told) == 0


def test_sent_to_all_notifies_everyone_who_accepted_the_rules(browser, cast, make):
    make.accept_rules(cast.competition, cast["participant"])
    post(browser, cast, "organizer", title="Deadline moved", email_participants="y")
    fan_out_task.apply(args=(notices()[0].id,))  # what the worker does once the post commits
    assert "Deadline moved" in browser("participant").get("/notifications").text
    assert "Deadline moved" not in browser("outsider").get("/notifications").text  # no rules
    post(browser, cast, "organizer", title="Quiet note")
    assert "Quiet note" not in browser("participant").get("/notifications").text


def test_editing_and_withdrawing(browser, cast):
    post(browser, cast, "sponsor", title="Typo", problem_id=str(cast.problem.id))
    notice_id = notices()[0].id
    edit = f"{base(cast)}/notices/{notice_id}/edit"
    data = {"title": "Fixed", "body": "Better."}
    assert browser("other_sponsor").post(edit, data=data).status_code == 403
    assert browser("participant").post(edit, data=data).status_code == 403
    assert browser("sponsor").post(edit, data=data).status_code == 302
    assert "Fixed" in browser("anonymous").get(base(cast)).text
    withdraw = f"{base(cast)}/notices/{notice_id}/withdraw"
    assert browser("participant").post(withdraw).status_code == 403
    assert browser("organizer").post(withdraw).status_code == 302
    assert "Fixed" not in browser("anonymous").get(base(cast)).text
    assert browser("organizer").get(edit).status_code == 404
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "notice_withdrawn")
    ).one()
    assert entry.before == {"title": "Fixed"}


def test_refusals_speak_the_readers_language(browser, cast):
    client, url = browser("organizer"), f"{base(cast)}/notices/new"
    data = {
        "title": "제목",
        "body": "본문",
        "problem_id": str(cast.draft.id),
        "email_participants": "y",
    }
    korean = client.post(url, headers={"Accept-Language": "ko"}, data=data)
    assert "참가자에게 알릴 수 없습니다" in korean.text
    english = client.post(url, headers={"Accept-Language": "en"}, data=data | {"title": " "})
    assert "This field is required" in english.text
    assert notices() == []


# --- the API --------------------------------------------------------------------------------


def api(app, make, user):
    return {"Authorization": f"Bearer {make.token(user)}"}


def test_the_api_lists_and_posts_notices(app, cast, make):
    client, url = app.test_client(), f"/api/v1/competitions/{cast.competition.slug}/notices"
    body = {"title": "API notice", "body": "Hello", "pinned": True}
    assert client.post(url, json=body).status_code == 401
    assert (
        client.post(url, json=body, headers=api(app, make, cast["participant"])).status_code == 403
    )
    sponsor = api(app, make, cast["sponsor"])
    assert client.post(url, json=body, headers=sponsor).status_code == 403  # whole competition
    draft = client.post(url, json=body | {"problem_id": cast.draft.id},
                        headers=api(app, make, cast["participant"]))  # fmt: skip
    assert draft.status_code == 422  # a draft is no problem a participant knows of
    created = client.post(url, json=body, headers=api(app, make, cast["organizer"]))
    assert created.status_code == 201 and created.json["pinned"] is True
    listed = client.get(url).json
    assert [n["title"] for n in listed] == ["API notice"]
