"""Judges assigned per problem: a judge with assignments sees, scores and is awaited only on
those problems; a judge without one judges every problem."""

from __future__ import annotations

import pytest

from judge.audit import log as audit
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Forbidden, Invalid
from judge.finals import judging, materials, services
from tests.finals.conftest import rubric, shortlisted
from tests.submissions.helpers import score, submit


@pytest.fixture
def two_problems(stage, make):
    """The stage's problem plus a second one with two finalists of its own."""
    second = make.problem(stage.competition, slug="welds", title="용접 검사")
    for name in ("알파", "베타"):
        score(submit(second, stage.leaders[name]), 0.5, 0.6 if name == "알파" else 0.55)
    with unit_of_work():
        second.closes_at = utcnow()
    first = shortlisted(stage)
    with unit_of_work():
        welds = services.shortlist(second, stage.organizer, utcnow())
    return stage, first, welds, rubric(stage)


def assign(stage, judge_key: str, problem) -> None:
    with unit_of_work():
        judging.assign(problem, stage.judges[judge_key].id, stage.organizer)


def test_an_assigned_judge_scores_only_the_assigned_problem(two_problems):
    stage, first, welds, criteria = two_problems
    assign(stage, "snu", welds[0].problem)
    snu = stage.judges["snu"]
    points = {c.id: 5 for c in criteria}
    with pytest.raises(Forbidden, match="not a judge of this problem"), unit_of_work():
        judging.save_scores(snu, first[0], points, utcnow())
    with unit_of_work():
        judging.save_scores(snu, welds[0], points, utcnow())
    awaited = judging.missing(stage.competition)
    assert snu not in awaited[first[0].id]  # not expected on the first problem
    assert stage.judges["postech"] in awaited[first[0].id]  # unassigned: every problem
    assert snu in awaited[welds[1].id] and snu not in awaited[welds[0].id]


def test_the_judging_page_shows_only_the_assigned_problems_finalists(two_problems, client, login):
    stage, first, welds, _ = two_problems
    assign(stage, "postech", first[0].problem)
    login(stage.judges["postech"])
    page = client.get(f"/c/{stage.competition.slug}/judging").text
    assert "불량 검출" in page and "용접 검사" not in page
    answer = client.post(f"/c/{stage.competition.slug}/judging",
                         data={f"p-{welds[0].id}-{c.id}": "5"
                               for c in judging.criteria(stage.competition)},
                         follow_redirects=True)  # fmt: skip
    assert "The sheet names a team you do not judge." in answer.text
    assert judging.points_of(welds[0], stage.judges["postech"].id) == {}
    login(stage.judges["snu"])  # unassigned: both problems
    page = client.get(f"/c/{stage.competition.slug}/judging").text
    assert "불량 검출" in page and "용접 검사" in page


def test_organizers_assign_and_remove_judges_in_the_console_and_it_is_audited(
    two_problems, client, login
):
    stage, _first, welds, _ = two_problems
    slug, snu = stage.competition.slug, stage.judges["snu"]
    login(stage.organizer)
    form = {"assign-judge_id": snu.id, "assign-problem_id": welds[0].problem.id}
    answer = client.post(f"/c/{slug}/finals/judges", data=form, follow_redirects=True)
    assert "The judge now scores the finalists of 용접 검사." in answer.text
    assert judging.assigned_problem_ids(snu, stage.competition) == {welds[0].problem.id}
    console = client.get(f"/c/{slug}/finals").text
    line = console.split('data-judge="심사 snu"')[1].split("</li>")[0]
    assert "용접 검사" in line and "every problem" not in line
    assert "every problem" in console.split('data-judge="심사 postech"')[1].split("</li>")[0]
    answer = client.post(f"/c/{slug}/finals/p/welds/judges/{snu.id}/remove", follow_redirects=True)
    assert "The judge no longer scores 용접 검사." in answer.text
    assert judging.assigned_problem_ids(snu, stage.competition) == set()
    acts = [e.action for e in audit.entries(stage.competition.id, None)]
    assert "judge_assigned" in acts and "judge_unassigned" in acts


def test_only_the_competitions_judges_can_be_assigned(two_problems, make):
    stage, _first, welds, _ = two_problems
    outsider = make.user(name="외부인")
    with pytest.raises(Invalid, match="competition's judges"), unit_of_work():
        judging.assign(welds[0].problem, outsider.id, stage.organizer)


def test_an_assigned_judge_cannot_download_other_problems_materials(two_problems):
    stage, first, welds, _ = two_problems
    assign(stage, "snu", welds[0].problem)
    assert materials.may_download(stage.judges["snu"], welds[0])
    assert not materials.may_download(stage.judges["snu"], first[0])


def test_an_assigned_judge_reads_only_their_problems_private_boards(two_problems, client, make):
    """Issue 13, item 6: a judge assigned to one problem read every private board."""
    stage, first, welds, _ = two_problems
    assign(stage, "snu", welds[0].problem)
    snu = {"Authorization": f"Bearer {make.token(stage.judges['snu'])}"}
    other = f"/api/v1/problems/{stage.problem.id}/leaderboard?board=private"
    refused = client.get(other, headers=snu)
    assert refused.status_code == 403, refused.text
    assert f"{first[0].private_score:g}"[:6] not in refused.text
    own = client.get(f"/api/v1/problems/{welds[0].problem.id}/leaderboard?board=private",
                     headers=snu)  # fmt: skip
    assert own.status_code == 200 and own.json["rows"]
    postech = {"Authorization": f"Bearer {make.token(stage.judges['postech'])}"}
    assert client.get(other, headers=postech).status_code == 200  # unassigned: every problem


def test_the_leaderboard_page_follows_the_assignment(two_problems, client, login):
    stage, _first, welds, _ = two_problems
    assign(stage, "snu", welds[0].problem)
    login(stage.judges["snu"])
    slug = stage.competition.slug
    assert client.get(f"/c/{slug}/p/defects/leaderboard?board=private").status_code == 403
    public = client.get(f"/c/{slug}/p/defects/leaderboard").text
    assert "board=private" not in public  # no link to a board the judge may not open
    assert client.get(f"/c/{slug}/p/welds/leaderboard?board=private").status_code == 200
