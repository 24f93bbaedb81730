"""A problem's settings on its page: the same rules, messages and audit as the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import services as finals
from tests.submissions.helpers import submit
from tests.web.forms import read_form

KO = {"Accept-Language": "ko"}


def manage(cast, slug: str = "visible") -> str:
    return f"/c/{cast.competition.slug}/p/{slug}/manage"


def save(client, cast, slug: str = "visible", headers=None, **changes):
    """Post the settings form as the page shows it, with ``changes`` typed in."""
    values, _ = read_form(client.get(manage(cast, slug), headers=headers).text, "/settings")
    return client.post(f"/c/{cast.competition.slug}/p/{slug}/settings", headers=headers,
                       data=values | changes, follow_redirects=True)  # fmt: skip


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_organizer_changes_title_and_public_share_audited(client, cast, as_role):
    as_role("organizer")
    page = save(client, cast, title="Defects, second round", public_fraction="0.5").text
    assert "The settings are saved." in page
    db.session.refresh(cast.problem)
    assert (cast.problem.title, cast.problem.public_fraction) == ("Defects, second round", 0.5)
    (entry,) = entries("problem_settings_changed")
    assert (entry.before, entry.after) == ({"public_fraction": 0.3}, {"public_fraction": 0.5})
    assert entry.actor_id == cast["organizer"].id


def test_unchanged_form_changes_nothing(client, cast, as_role):
    as_role("organizer")
    assert "The settings are saved." in save(client, cast).text
    assert entries("problem_settings_changed") == []


def test_sponsor_sees_what_it_may_not_change_and_why(client, cast, as_role):
    as_role("sponsor")
    page = client.get(manage(cast)).text
    _, disabled = read_form(page, "/settings")
    assert {"public_fraction", "reveal_at", "metric", "max_final_selections"} <= disabled
    assert {"title", "description", "daily_limit"}.isdisjoint(disabled)
    assert "Only the competition&#39;s organizers may change “public_fraction”." in page
    assert "Submissions have opened: only the competition&#39;s organizers" in page
    # a value sent for a read-only field anyway is not taken; what it may change is
    assert "The settings are saved." in save(client, cast, title="New words",
                                              public_fraction="0.9").text  # fmt: skip
    db.session.refresh(cast.problem)
    assert (cast.problem.title, cast.problem.public_fraction) == ("New words", 0.3)


@pytest.mark.parametrize(("headers", "message"), [
    (None, "The public share must be between 0 and 1, for example 0.3."),
    (KO, "퍼블릭 비율은 0과 1 사이여야 합니다"),
])  # fmt: skip
def test_a_bad_value_is_shown_by_its_field_and_nothing_is_written(
    client, cast, as_role, headers, message
):
    as_role("organizer")
    page = save(client, cast, headers=headers, title="Half", public_fraction="1.5").text
    assert message in page
    assert page.index(message) > page.index('name="public_fraction"')
    db.session.refresh(cast.problem)
    assert cast.problem.title != "Half" and entries("problem_settings_changed") == []


def test_sponsor_sets_the_decimals_of_every_score_shown(client, cast, as_role):
    as_role("sponsor")
    assert "The settings are saved." in save(client, cast, score_decimals="3").text
    db.session.refresh(cast.problem)
    assert cast.problem.score_decimals == 3


@pytest.mark.parametrize(("headers", "message"), [
    (None, "Scores are shown with 0 to 10 decimals."),
    (KO, "점수는 소수점 0~10자리로 표시합니다."),
])  # fmt: skip
def test_more_than_ten_decimals_are_refused_on_the_page(client, cast, as_role, headers, message):
    as_role("organizer")
    page = save(client, cast, headers=headers, score_decimals="11").text
    assert message in page
    db.session.refresh(cast.problem)
    assert cast.problem.score_decimals == 5


def test_scoring_change_after_submissions_links_to_rescoring(client, cast, as_role):
    submit(cast.problem, cast["participant"])
    as_role("organizer")
    page = save(client, cast, metric="f1_macro").text
    assert "Existing scores keep the old rule until they are re-scored." in page
    assert f'href="/c/{cast.competition.slug}/p/visible/all-submissions"' in page


def test_after_the_results_only_words_change(client, cast, as_role):
    with unit_of_work():
        finals.settings_of(cast.competition).locked_at = utcnow()
    as_role("organizer")
    page = client.get(manage(cast), headers=KO).text
    _, disabled = read_form(page, "/settings")
    assert {"public_fraction", "metric", "closes_at"} <= disabled and "title" not in disabled
    assert "결과가 발표되었습니다" in page


@pytest.mark.parametrize(("headers", "message"), [
    (None, "The private leaderboard can be revealed only once submissions close."),
    (KO, "프라이빗 리더보드는 제출이 마감된 뒤에만 공개할 수 있습니다."),
])  # fmt: skip
def test_a_reveal_before_the_close_is_refused_by_its_field(client, cast, as_role, headers, message):
    """Revealed while teams still submit, the private board would let them aim at its rows."""
    as_role("organizer")
    page = save(client, cast, headers=headers, closes_at="2030-01-10T09:00",
                reveal_at="2030-01-09T09:00").text  # fmt: skip
    assert message in page
    assert page.index(message) > page.index('name="reveal_at"')
    db.session.refresh(cast.problem)
    assert cast.problem.reveal_at is None and entries("problem_settings_changed") == []
    saved = save(client, cast, closes_at="2030-01-10T09:00", reveal_at="2030-01-10T09:00")
    assert "The settings are saved." in saved.text
