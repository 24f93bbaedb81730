"""The web board's rows are kept as HTML per board version (judge.leaderboard.page): read by
different readers in turn, in both languages, around the reveal, each page still shows what
that reader may see, in that reader's language, with only that reader's team highlighted."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from judge.core import i18n
from judge.core.db import utcnow
from judge.core.extensions import db
from judge.leaderboard import cache, views
from judge.leaderboard import services as leaderboard
from tests.web.test_leaderboard_pages import assert_hidden, board, row_of
from tests.web.test_submission_pages import scored

PUBLIC, PRIVATE = 0.123456, 0.987654


@pytest.fixture
def scores(cast):
    return (scored(cast.problem, cast["participant"], PUBLIC, PRIVATE),
            scored(cast.problem, cast["rival"], 0.654321, 0.876543))  # fmt: skip


def in_language(app, code: str, fn):
    with app.test_request_context(), force_locale(code):
        return fn()


def kept_pages(app) -> int:
    return len(app.extensions.get(cache.PAGES, {}))


def test_each_language_gets_its_own_rows_after_a_kept_page(app, client, cast, as_role, scores):
    own = scores[0]
    tz = cast.competition.timezone
    when = {code: in_language(app, code, lambda: i18n.local_datetime(own.created_at, tz))
            for code in ("en", "ko")}  # fmt: skip
    as_role("participant")
    for _twice in range(2):
        english = row_of(client.get(f"{board(cast)}?lang=en").text, "Pia Team")
    assert kept_pages(app) == 1
    assert when["en"] in english and "your team" in english
    korean = row_of(client.get(f"{board(cast)}?lang=ko").text, "Pia Team")
    assert when["ko"] in korean and "내 팀" in korean
    assert when["en"] not in korean and "your team" not in korean
    assert kept_pages(app) == 2
    again = row_of(client.get(f"{board(cast)}?lang=en").text, "Pia Team")
    assert again == english


def test_the_private_rows_badges_follow_the_language(app, client, cast, as_role, scores):
    as_role("organizer")
    labels = {code: in_language(app, code, lambda: _("auto-selected")) for code in ("en", "ko")}
    assert labels == {"en": "auto-selected", "ko": "자동 선택"}
    english = client.get(f"{board(cast)}?board=private&lang=en").text
    korean = client.get(f"{board(cast)}?board=private&lang=ko").text
    assert ">자동 선택<" in row_of(korean, "Rival Team") and "auto-selected" not in korean
    assert ">auto-selected<" in row_of(english, "Rival Team")


def test_a_kept_page_highlights_only_the_readers_own_team(client, cast, as_role, login, scores):
    as_role("participant")
    page = client.get(board(cast)).text
    assert row_of(page, "Pia Team").startswith('<tr class="mine">')
    client.post("/logout")
    login(cast["rival"])
    page = client.get(board(cast)).text
    assert row_of(page, "Rival Team").startswith('<tr class="mine">')
    assert "mine" not in row_of(page, "Pia Team") and page.count("your team") == 1
    client.post("/logout")
    page = client.get(board(cast)).text  # anonymous
    assert 'class="mine"' not in page and "your team" not in page


def test_the_own_teams_link_is_the_readers_on_a_kept_page(client, cast, as_role, login, scores,
                                                          monkeypatch):  # fmt: skip
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    as_role("participant")
    first = client.get(board(cast)).text
    assert "Your team is ranked 2, on page 2." in first and 'class="mine"' not in first
    client.post("/logout")
    login(cast["rival"])
    first = client.get(board(cast)).text
    assert "Your team is ranked 1, on page 1." in first and "ranked 2" not in first
    assert row_of(first, "Rival Team").startswith('<tr class="mine">')


def test_a_private_page_kept_for_staff_is_never_served_before_the_reveal(client, cast, as_role,
                                                                        login, scores):  # fmt: skip
    as_role("organizer")
    staff = client.get(f"{board(cast)}?board=private").text
    assert "0.98765" in row_of(staff, "Pia Team")
    client.post("/logout")
    for role in ("participant", None):
        if role:
            login(cast[role])
        refused = client.get(f"{board(cast)}?board=private")
        assert refused.status_code == 403
        assert_hidden(refused.text)
        assert_hidden(client.get(board(cast)).text)
        client.post("/logout")
    leaderboard.reveal(cast.problem, utcnow())
    db.session.commit()
    assert "0.98765" in client.get(f"{board(cast)}?board=private").text
    leaderboard.hide(cast.problem)  # hidden again: the kept page stays, the reader may not
    db.session.commit()
    again = client.get(f"{board(cast)}?board=private")
    assert again.status_code == 403
    assert_hidden(again.text)
    assert_hidden(client.get(board(cast)).text)


def test_a_rename_and_the_ways_of_showing_reach_a_kept_page(client, cast, scores):
    page = client.get(board(cast)).text
    assert "Pia Team" in page and "대학원" in page and "0.12346" in page
    cast.team.name = "Renamed Team"
    db.session.commit()
    page = client.get(board(cast)).text
    assert "Renamed Team" in page and "Pia Team" not in page
    cast.competition.divisions[0].name = "Graduate track"
    db.session.commit()
    assert "Graduate track" in row_of(client.get(board(cast)).text, "Renamed Team")
    cast.problem.score_decimals = 2
    db.session.commit()
    row = row_of(client.get(board(cast)).text, "Renamed Team")
    assert ">0.12<" in row and "0.12346" not in row
    cast.competition.timezone = "America/New_York"
    db.session.commit()
    row = row_of(client.get(f"{board(cast)}?lang=en").text, "Renamed Team")
    assert ("EST" in row or "EDT" in row) and "KST" not in row


def test_a_hidden_column_on_a_kept_page_stays_the_staffs(client, cast, as_role, login):
    from tests.submissions.helpers import scored as scored_with_details

    cast.problem.score_columns = [
        {"key": "map", "label": "mAP", "higher_is_better": True, "precision": 3},
        {"key": "secret", "label": "Secret F1", "higher_is_better": True, "precision": 3,
         "hidden": True},
    ]  # fmt: skip
    cast.problem.scoring_program_key = "0" * 64
    db.session.commit()
    values = {"map": 0.8, "secret": 0.777}
    scored_with_details(cast.problem, cast["participant"], 0.8, 0.8,
                        details={"public": values, "private": values})  # fmt: skip
    as_role("organizer")
    staff = client.get(board(cast)).text
    assert "Secret F1" in staff and "0.777" in row_of(staff, "Pia Team")
    client.post("/logout")
    login(cast["participant"])
    page = client.get(board(cast)).text
    assert "0.800" in row_of(page, "Pia Team")
    assert "Secret F1" not in page and "0.777" not in page
