"""The competition page counts down to the next date a participant waits for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from judge.competitions.timeline import next_milestone
from judge.core.db import utcnow

EN = {"Accept-Language": "en"}
KO = {"Accept-Language": "ko"}
# 41 days, 3 hours, 12 minutes and half a minute: the page is made well within the half.
LEFT = timedelta(days=41, hours=3, minutes=12, seconds=30)


def test_the_close_of_submissions_is_counted_down_in_both_languages(client, make):
    now = utcnow()
    competition = make.competition(submissions_open_at=now - timedelta(days=1),
                                   submissions_close_at=now + LEFT)  # fmt: skip
    page = client.get(f"/c/{competition.slug}", headers=EN).text
    assert "Submissions close in" in page
    assert "41 days, 3 hours, 12 minutes" in page
    assert f'data-countdown="{competition.submissions_close_at.isoformat()}"' in page
    page = client.get(f"/c/{competition.slug}", headers=KO).text
    assert "제출 마감까지" in page and "41일 3시간 12분" in page


@pytest.mark.parametrize(
    ("opens", "closes", "results", "expected"),
    [
        (1, 2, 3, "Submissions open in"),
        (-1, 2, 3, "Submissions close in"),
        (-2, -1, 3, "Results are announced in"),
        (-3, -2, -1, None),
        (None, None, None, None),
    ],
)
def test_the_countdown_is_to_the_next_date_still_ahead(make, opens, closes, results, expected):
    now = utcnow()
    at = {k: None if days is None else now + timedelta(days=days)
          for k, days in [("submissions_open_at", opens), ("submissions_close_at", closes),
                          ("results_at", results)]}  # fmt: skip
    competition = make.competition(**at)
    milestone = next_milestone(competition, now)
    assert (milestone.label if milestone else None) == expected


def test_no_countdown_once_every_date_has_passed(client, make):
    now = utcnow()
    competition = make.competition(submissions_open_at=now - timedelta(days=3),
                                   submissions_close_at=now - timedelta(days=2))  # fmt: skip
    assert "data-countdown" not in client.get(f"/c/{competition.slug}", headers=EN).text


def test_the_time_left_drops_only_leading_zeros(client, make):
    now = utcnow()
    closes = now + timedelta(hours=3, seconds=30)
    competition = make.competition(submissions_open_at=now - timedelta(days=1),
                                   submissions_close_at=closes)  # fmt: skip
    assert "3 hours, 0 minutes" in client.get(f"/c/{competition.slug}", headers=EN).text
