"""Shortlisting, finalizing and reopening first say what will happen, with the counts the
acts themselves use, and change nothing until confirmed."""

from __future__ import annotations

import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import results, services
from judge.finals.models import Finalist
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted


def finalists() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Finalist))


def test_the_shortlist_page_counts_the_teams_of_each_division(client, login, stage):
    slug, p = stage.competition.slug, stage.problem.slug
    graduate, undergraduate = (d.name for d in stage.competition.divisions)
    login(stage.organizer)
    console = client.get(f"/c/{slug}/finals").text
    assert f'action="/c/{slug}/finals/p/{p}/shortlist"' in console  # a way to the question
    page = client.get(f"/c/{slug}/finals/p/{p}/shortlist").text
    assert f"4 teams will be shortlisted in {graduate}." in page
    assert f"2 teams will be shortlisted in {undergraduate}." in page
    assert 'class="danger"' in page and 'class="primary"' not in page
    assert finalists() == 0  # asking changed nothing
    answer = client.post(f"/c/{slug}/finals/p/{p}/shortlist", follow_redirects=True)
    assert "The shortlist of 불량 검출 is made." in answer.text
    assert finalists() == 6
    assert [(n, c) for n, c in services.shortlist_plan(stage.problem)] == [
        (graduate, 4), (undergraduate, 2)]  # fmt: skip


def test_finalizing_asks_with_the_count_and_the_boards_it_reveals(client, login, stage):
    picked = shortlisted(stage, per_division=2)
    criteria = rubric(stage)
    minister_award(stage)
    slug = stage.competition.slug
    login(stage.organizer)
    waiting = client.get(f"/c/{slug}/finals/finalize").text
    assert "Some finalists have no final score yet" in waiting
    judge_everyone(stage, picked, criteria, lambda name: [7, 7, 7])
    console = client.get(f"/c/{slug}/finals").text
    assert 'class="primary"' not in console.split("data-finalize")[1].split("</form>")[0]
    page = client.get(f"/c/{slug}/finals/finalize").text
    assert "4 finalists&#39; results will be published on the results page." in page
    assert "The private leaderboards of 불량 검출 will be revealed to everyone." in page
    assert 'name="reveal"' in page
    assert results.settings_of(stage.competition).locked_at is None
    done = client.post(f"/c/{slug}/finals/finalize", data={"reveal": "y"}, follow_redirects=True)
    assert "The results are finalized and published." in done.text
    again = client.get(f"/c/{slug}/finals/reopen").text
    assert "The results page is hidden" in again and 'name="reason"' in again
    assert results.settings_of(stage.competition).locked_at is not None
    reopened = client.post(f"/c/{slug}/finals/reopen", data={"reason": "A typo in a name."},
                           follow_redirects=True)  # fmt: skip
    assert "The results are reopened; the results page is hidden." in reopened.text


def test_the_plan_changes_nothing(stage):
    shortlisted(stage, per_division=1)
    with unit_of_work():
        plan = results.finalize_plan(stage.competition, utcnow())
    assert (plan.finalists, [p.title for p in plan.unrevealed]) == (2, ["불량 검출"])
    assert len(plan.waiting) == 2 and results.settings_of(stage.competition).locked_at is None
