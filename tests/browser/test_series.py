"""A problem with two phases (예선, 본선) in a real browser, in Korean and in English: the
organizer creates it and its second phase on the web, a team finds it once in the problem
list, reads each phase's tab and submits to the open one."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems import services as problems
from judge.problems.models import Problem

SOLUTION = "id,label\n" + "".join(f"{i},{i % 3}\n" for i in range(1, 201))


def fill_phase(page, say, name: str, slug: str, solution) -> None:
    page.get_by_label(say("Phase name (e.g. 예선, 본선; empty: “Phase N”)")).fill(name)
    page.get_by_label(say("Short name of the task (used in addresses)")).fill(slug)
    page.get_by_label(say("Solution (CSV, UTF-8)")).set_input_files(str(solution))


def publish_every_row() -> None:
    with unit_of_work():
        for row in db.session.scalars(sa.select(Problem).where(Problem.series_id.is_not(None))):
            problems.publish(row, utcnow())


def test_a_two_phase_problem_is_set_up_and_entered(make, visitor, say, language, tmp_path):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"단계 챌린지 {language}")
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION)
    person = visitor()
    person.log_in(organizer)

    page = person.go(f"/c/{competition.slug}")
    page.get_by_role("link", name=say("Add a problem with phases")).click()
    page.get_by_label(say("Short name (used in addresses)")).fill("weld")
    page.get_by_label(say("Title"), exact=True).fill("용접 불량 분류")
    fill_phase(page, say, "예선", "weld-pre", solution)
    page.get_by_role("button", name=say("Create the problem and its first phase")).click()
    expect(page.get_by_text(say("The problem with phases is created; its first phase is a "
                                "draft. Add phases and tasks, then publish each task's "
                                "row."))).to_be_visible()  # fmt: skip
    page.get_by_role("link", name=say("Add a phase")).click()
    fill_phase(page, say, "본선", "weld-final", solution)
    page.get_by_label(say("How teams enter this phase")).select_option("top_n")
    page.get_by_label(say("N (for the top N teams)")).fill("10")
    page.get_by_role("button", name=say("Add the phase")).click()
    expect(page.get_by_text(say("The phase is added as a draft."))).to_be_visible()
    expect(page.get_by_role("heading", name="본선")).to_be_visible()
    publish_every_row()

    team_leader = make.user(name="김참가")
    make.team(competition, team_leader, name=f"알파-{language}")
    participant = visitor()
    participant.log_in(team_leader)
    page = participant.go(f"/c/{competition.slug}")
    expect(page.locator("[data-series]")).to_have_count(1)
    page.get_by_role("link", name="용접 불량 분류").click()
    tabs = page.get_by_role("navigation", name=say("Phases"))
    expect(tabs.get_by_role("link", name="예선")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text(say("Every team may upload."))).to_be_visible()
    expect(page.locator("[data-submit-form]")).to_be_visible()
    tabs.get_by_role("link", name="본선").click()
    expect(tabs.get_by_role("link", name="본선")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text(say("The top %(count)d teams of %(phase)s enter.", count=10,
                                phase="예선"))).to_be_visible()  # fmt: skip
