"""A sponsor's problem goes to review: submitted, sent back with a comment, published."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.notifications.services import describe
from tests.notifications.helpers import told

KO = {"Accept-Language": "ko"}


def base(cast) -> str:
    return f"/c/{cast.competition.slug}/p/hidden-draft"


def console(cast) -> str:
    return f"/c/{cast.competition.slug}/manage"


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.mark.parametrize(("headers", "message"), [
    (None, "A sponsor&#39;s problem is published by the organizers: submit it for review."),
    (KO, "후원기업의 문제는 운영진이 공개합니다"),
])  # fmt: skip
def test_a_sponsor_cannot_publish_its_problem(client, cast, as_role, headers, message):
    as_role("sponsor")
    page = client.get(f"{base(cast)}/manage", headers=headers).text
    assert f'action="{base(cast)}/review"' in page and f'action="{base(cast)}/publish"' not in page
    refused = client.post(f"{base(cast)}/publish", headers=headers, follow_redirects=True)
    assert message in refused.text
    db.session.refresh(cast.draft)
    assert not cast.draft.is_published


def test_review_round_trip(client, cast, as_role, login):
    as_role("sponsor")
    page = client.post(f"{base(cast)}/review", follow_redirects=True).text
    assert "The problem is submitted for review" in page and "in review" in page
    assert told(cast["organizer"], Kind.PROBLEM_REVIEW_REQUESTED)

    login(cast["organizer"])
    queue = client.get(console(cast)).text
    assert queue.count("in review") == 1 and f'action="{base(cast)}/review/send-back"' in queue
    empty = client.post(f"{base(cast)}/review/send-back", data={"comment": " "},
                        follow_redirects=True)  # fmt: skip
    assert "Please say what the sponsor should change." in empty.text
    client.post(f"{base(cast)}/review/send-back", data={"comment": "Describe the units."})
    (note,) = told(cast["sponsor"], Kind.PROBLEM_SENT_BACK)
    assert "Describe the units." in describe(note) and told(cast["other_sponsor"]) == []
    assert "No problem waits for review." in client.get(console(cast)).text

    login(cast["sponsor"])
    assert "Sent back by the organizers: Describe the units." in client.get(
        f"{base(cast)}/manage").text  # fmt: skip
    client.post(f"{base(cast)}/review")

    login(cast["organizer"])
    unticked = client.post(f"{base(cast)}/review/publish", follow_redirects=True)
    assert "Please tick the box to publish the problem." in unticked.text
    client.post(f"{base(cast)}/review/publish", data={"confirm": "y"})
    db.session.refresh(cast.draft)
    assert cast.draft.is_published and not cast.draft.in_review
    assert cast.draft.review_comment is None
    (published,) = [
        n
        for n in told(cast["sponsor"], Kind.PROBLEM_PUBLISHED)
        if n.params["problem"] == cast.draft.title
    ]  # the sponsor hears it
    assert describe(published) == (f"The problem {cast.draft.title} was published in "
                                   f"{cast.competition.title}.")  # fmt: skip
    assert told(cast["other_sponsor"], Kind.PROBLEM_PUBLISHED) == []
    assert told(cast["participant"], Kind.PROBLEM_PUBLISHED) == []
    review_acts = [a for a in actions() if "review" in a or "sent_back" in a or "settings" in a]
    assert review_acts == ["problem_review_requested", "problem_sent_back",
                           "problem_review_requested", "problem_settings_changed"]  # fmt: skip

    login(cast["participant"])
    assert client.get(base(cast)).status_code == 200


@pytest.mark.parametrize("role", ["sponsor", "judge", "participant"])
def test_only_organizers_review(client, cast, as_role, role):
    as_role("sponsor")
    client.post(f"{base(cast)}/review")
    as_role(role)
    for act, data in (("publish", {"confirm": "y"}), ("send-back", {"comment": "No."})):
        assert client.post(f"{base(cast)}/review/{act}", data=data).status_code in (403, 404)
    db.session.refresh(cast.draft)
    assert cast.draft.in_review


def test_in_review_the_sponsor_sees_every_setting_locked_and_why(client, cast, as_role):
    from tests.web.forms import read_form

    as_role("sponsor")
    client.post(f"{base(cast)}/review")
    page = client.get(f"{base(cast)}/manage", headers=KO).text
    _, disabled = read_form(page, "/settings")
    assert {"title", "description", "daily_limit", "metric"} <= disabled
    assert "운영진이 이 문제를 검토하고 있습니다" in page
