"""Dates in the competition's timezone with the zone named; numbers and KRW in the reader's way."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import refresh

from tests.i18n.conftest import OPENS

EN = {"Accept-Language": "en"}


def test_competition_dates_in_korean_name_the_zone(client, event):
    competition = event[0]
    page = client.get(f"/c/{competition.slug}").text
    assert "2036년 12월 1일 오후 6:00 (KST)" in page
    assert 'datetime="2036-12-01T09:00:00+00:00"' in page  # the machine-readable instant
    assert "모든 시각은 Asia/Seoul 시간대 기준입니다." in page


def test_competition_dates_in_english_name_the_zone(client, event):
    page = client.get(f"/c/{event[0].slug}", headers=EN).text
    assert "Dec 1, 2036, 6:00\u202fPM KST" in page


@pytest.mark.parametrize(
    ("zone", "when", "korean", "english"),
    [
        ("Europe/Berlin", OPENS,
         "2036년 12월 1일 오전 10:00 (CET)", "Dec 1, 2036, 10:00\u202fAM CET"),
        ("Europe/Berlin", datetime(2026, 7, 1, 9, tzinfo=UTC),
         "2026년 7월 1일 오전 11:00 (CEST)", "Jul 1, 2026, 11:00\u202fAM CEST"),
        ("Asia/Dubai", OPENS,
         "2036년 12월 1일 오후 1:00 (UTC+04)", "Dec 1, 2036, 1:00\u202fPM UTC+04"),
        ("UTC", OPENS, "2036년 12월 1일 오전 9:00 (UTC)", "Dec 1, 2036, 9:00\u202fAM UTC"),
    ],
)  # fmt: skip
def test_each_competition_shows_its_own_timezone(client, make, zone, when, korean, english):
    competition = make.competition(timezone=zone, submissions_open_at=when)
    assert korean in client.get(f"/c/{competition.slug}").text
    assert english in client.get(f"/c/{competition.slug}", headers=EN).text


def test_the_competition_list_shows_local_dates(client, event):
    assert "2036년 12월 1일 오후 6:00 (KST)" in client.get("/").text


def test_a_limit_message_names_the_reset_time_in_the_readers_language(client, make, login):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=1)
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    address = f"/c/{competition.slug}/p/{problem.slug}/submissions"
    for _ in range(2):
        files = {"file": (io.BytesIO(b"id,label\n1,1\n"), "p.csv")}
        response = client.post(address, data=files, headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 429
    message = response.json["error"]["message"]
    assert "팀이 오늘의 제출 횟수 1회를 모두 썼습니다." in message
    assert "오전 12:00 (KST)에 초기화됩니다." in message


def render(app, template: str, language: str, **values) -> str:
    with app.test_request_context("/", headers={"Accept-Language": language}):
        refresh()  # the test's app context outlives this request; forget its language
        return render_template_string(template, **values)


@pytest.mark.parametrize(("language", "expected"), [("ko", "10,000,000원"), ("en", "₩10,000,000")])
def test_prize_money_in_won(app, language, expected):
    assert render(app, "{{ 10000000|money }}", language) == expected


def test_won_have_no_decimals(app):
    assert render(app, "{{ 1500000.4|money }}", "ko") == "1,500,000원"


@pytest.mark.parametrize(("language", "expected"), [("ko", "12,345.5"), ("en", "12,345.5")])
def test_numbers_are_grouped(app, language, expected):
    assert render(app, "{{ 12345.5|number }}", language) == expected


def test_number_and_date_filters_leave_missing_values_empty(app):
    template = "[{{ none|number }}|{{ none|money }}|{{ none|localtime('Asia/Seoul') }}]"
    assert render(app, template, "ko") == "[||]"


def test_a_date_alone(app):
    template = "{{ when|localdate('Asia/Seoul') }}"
    late = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # already 2 December in Seoul
    assert render(app, template, "ko", when=late) == "2026년 12월 2일"
    assert render(app, template, "en", when=late) == "Dec 2, 2026"


def test_team_counts_on_the_competition_list_are_formatted(client, event):
    page = client.get("/").text
    assert "<dt>참가팀</dt><dd>1</dd>" in page
    assert "<dt>과제</dt><dd>1</dd>" in page
