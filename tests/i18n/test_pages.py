"""Every main page, rendered in Korean, shows no English interface text (and the reverse).

The interface strings are the catalog's own: any English msgid (or Korean msgstr) found
on a page in the other language means a string escaped translation.
"""

from __future__ import annotations

import io
import re

import pytest

from judge.core import catalogs, storage
from judge.core.db import unit_of_work, utcnow
from judge.problems import series
from judge.problems import services as problems
from judge.problems.models import Carry
from judge.submissions import lifecycle
from judge.submissions.lifecycle import GAVE_UP
from judge.submissions.models import FailureKind
from tests.i18n.conftest import visible_text
from tests.submissions.helpers import LEASE, score, submit

# Content the fixtures write in English (names made by tests/factories.py, file names).
FIXTURE_CONTENT = re.compile(
    r"Sponsor \d+|Graduate students|Undergraduates|User \d+|\S+@example\.com|\w+\.csv|"
    r"Problem \d+|Challenge \d+"
)
# Names written as they are in both languages: the solution's Usage column (Kaggle's).
KEPT_NAMES = re.compile(r"\bUsage\b")
READ_ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label|data-msg-[\w-]+)="([^"]*)"')


def interface_text(html: str) -> str:
    text = visible_text(html) + " " + " ".join(READ_ATTRIBUTES.findall(html))
    return KEPT_NAMES.sub(" ", FIXTURE_CONTENT.sub(" ", text))


def fragments(message: str | tuple[str, ...]) -> list[str]:
    """The literal parts of a message (every plural form) with at least four letters or
    digits, enough to recognise it on a page ("MiB)" alone is no sentence)."""
    forms = (message,) if isinstance(message, str) else message
    return [p.strip(" .:;,") for form in forms
            for p in re.split(r"%\(\w+\)[sd]|%%", form)
            if len(re.sub(r"\W", "", p)) >= 4]  # fmt: skip


def leftovers(html: str, locale: str) -> list[str]:
    """Strings of the *other* language's catalog found on a page meant to be in ``locale``."""
    ko = catalogs.read(catalogs.po_path("ko"), "ko")
    text = interface_text(html)
    found = []
    for message in ko:
        if not message.id or message.id == message.string:
            continue
        other = message.id if locale == "ko" else message.string
        for fragment in fragments(other):
            # "scores" in "scores.json" is a file's name, not an English word left over.
            if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w|\.\w)", text):
                found.append(fragment)
    return sorted(set(found))


@pytest.fixture
def pages(event, make):
    """(viewer, address) for the pages people spend their time on."""
    competition, problem, team, leader, organizer = event
    slug = competition.slug
    scored = submit(problem, leader)
    score(scored, 0.8, 0.7)
    failed = submit(problem, leader)
    with unit_of_work():
        attempt = lifecycle.claim(failed.id, utcnow(), LEASE, "test-worker")
        lifecycle.record_failure(failed, attempt, FailureKind.SYSTEM, GAVE_UP, "", utcnow())
    problem_page = f"/c/{slug}/p/{problem.slug}"
    series_page = f"/c/{slug}/s/{two_phases(competition, organizer).slug}"
    return [
        (None, "/"),
        (None, "/login"),
        (None, "/register"),
        (None, f"/c/{slug}"),
        (None, problem_page),
        (None, "/no/such/page"),
        (leader, "/"),
        (leader, f"/c/{slug}"),
        (leader, problem_page),
        (leader, f"{problem_page}/leaderboard"),
        (make.user(name="이서연"), f"/c/{slug}/team"),
        (leader, f"/teams/{team.id}"),
        (leader, "/account"),
        (leader, "/account/tokens"),
        (leader, f"/c/{slug}/questions"),
        (leader, f"/c/{slug}/questions/mine"),
        (leader, "/notifications"),
        (organizer, f"/c/{slug}/notices/new"),
        (organizer, "/competitions/new"),
        (organizer, f"/c/{slug}/manage"),
        (organizer, f"/c/{slug}/problems/new"),
        (organizer, f"{problem_page}/manage"),
        (organizer, f"{problem_page}/leaderboard?board=private"),
        (leader, series_page),
        (leader, f"{series_page}?phase=2"),
        (organizer, f"/c/{slug}/series/new"),
        (organizer, f"{series_page}/manage"),
        (organizer, f"{series_page}/phases/new"),
        (organizer, f"{series_page}/phases/2/tasks/new"),
        (organizer, f"{series_page}/phases/2/decides"),
    ]


def two_phases(competition, organizer):
    """결함 탐지: 예선 (one task, published) and 본선 (two tasks, the top 5 teams of 예선)."""
    truth = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))
    with unit_of_work():
        made = series.create_series(competition, slug="gyeol", title="결함 탐지", actor=organizer)
    steps = [("gyeol-pre", {"sponsor": competition.sponsors[0], "metric": "accuracy",
                            "phase_name": "예선"}),
             ("gyeol-bon", {"phase_name": "본선", "carry": Carry.TOP_N, "carry_top_n": 5}),
             ("gyeol-bon-b", None)]  # fmt: skip
    for slug, phase in steps:
        with unit_of_work(), storage.staged(io.BytesIO(truth.encode()), 10**6, "s") as staged:
            common = {"slug": slug, "solution_upload": staged, "solution_filename": "t.csv",
                      "actor": organizer}  # fmt: skip
            if phase is None:
                series.add_task(made, 1, **common)
            else:
                series.add_phase(made, **common, **phase)
    with unit_of_work():
        for row in series.rows(made):
            problems.publish(row, utcnow())
    return made


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_main_pages_speak_one_language(app, pages, locale):
    seen = {}
    for viewer, address in pages:
        client = app.test_client()
        if viewer is not None:
            client.post("/login", data={"email": viewer.email, "password": "correct horse battery"})
        response = client.get(address, headers={"Accept-Language": locale})
        assert response.status_code in (200, 404), address
        assert f'<html lang="{locale}">' in response.text, address
        if found := leftovers(response.text, locale):
            seen[address] = found
    assert seen == {}


def test_the_checker_notices_english_on_a_korean_page():
    assert leftovers("<p>오늘 남은 제출 횟수</p><p>Left in total</p>", "ko") == ["Left in total"]
    assert "남은 전체 제출 횟수" in leftovers("<p>Left today</p><p>남은 전체 제출 횟수</p>", "en")


def test_the_korean_problem_page_reads_naturally(client, event, login):
    _competition, problem, _team, leader, _organizer = event
    login(leader)
    page = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}").text
    phrases = (
        "예측 제출",
        "오늘 남은 제출 횟수",
        "내 제출",
        "퍼블릭 점수",
        "아직 제출이 없습니다.",
    )
    for phrase in phrases:
        assert phrase in page
