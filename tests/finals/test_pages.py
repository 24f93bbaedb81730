"""Stage two in the browser's terms: who may open which page, and what each one shows."""

from __future__ import annotations

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.finals import judging, results
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted

SAME = {"알파": [7, 7, 7], "베타": [9, 9, 9], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}


@pytest.fixture
def judged(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    minister_award(stage)
    return stage, finalists, criteria


def test_only_organizers_open_the_finals_console_and_the_audit_log(client, login, judged):
    stage, _, _ = judged
    slug = stage.competition.slug
    assert client.get(f"/c/{slug}/finals").status_code == 302  # to the login page
    for user in (stage.leaders["알파"], stage.judges["snu"], stage.sponsor):
        login(user)
        assert client.get(f"/c/{slug}/finals").status_code == 403
        assert client.get(f"/c/{slug}/audit").status_code == 403
        assert client.post(f"/c/{slug}/finals/finalize").status_code == 403
    login(stage.organizer)
    page = client.get(f"/c/{slug}/finals")
    assert page.status_code == 200
    assert "알파" in page.text and "Grand Prize" in page.text
    assert "심사 postech" in page.text  # yet to score


def test_participants_cannot_open_the_judges_page(client, login, judged):
    stage, _, _ = judged
    login(stage.leaders["베타"])
    assert client.get(f"/c/{stage.competition.slug}/judging").status_code == 403
    answer = client.post(f"/c/{stage.competition.slug}/judging")
    assert answer.status_code == 403


def test_a_judge_scores_through_the_page_and_sees_peers_only_afterwards(client, login, judged):
    stage, finalists, criteria = judged
    slug, beta = stage.competition.slug, finalists[1]
    with unit_of_work():
        judging.save_scores(stage.judges["postech"], beta,
                            {c.id: 2 for c in criteria}, utcnow())  # fmt: skip
    login(stage.judges["snu"])
    page = client.get(f"/c/{slug}/judging")
    assert "The other judges' scores appear once yours are complete." in page.text
    assert "20.00" not in page.text
    form = {f"p-{beta.id}-{c.id}": "9" for c in criteria}
    answer = client.post(f"/c/{slug}/judging", data=form, follow_redirects=True)
    assert "Your scores and comments are saved." in answer.text
    assert "Other judges' totals (of 100): 20.00" in answer.text
    assert judging.points_of(beta, stage.judges["snu"].id) == {c.id: 9 for c in criteria}


def test_the_conflicted_judge_sees_a_notice_and_cannot_post(client, login, judged):
    stage, finalists, criteria = judged
    login(stage.judges["kaist"])
    page = client.get(f"/c/{stage.competition.slug}/judging")
    assert "Conflict of interest" in page.text
    answer = client.post(f"/c/{stage.competition.slug}/judging",
                         data={f"p-{finalists[0].id}-{criteria[0].id}": "10"},
                         follow_redirects=True)  # fmt: skip
    assert "You cannot score 알파: you share an affiliation with it." in answer.text
    assert judging.points_of(finalists[0], stage.judges["kaist"].id) == {}


def test_the_results_page_shows_nothing_until_finalized(client, login, judged):
    stage, finalists, criteria = judged
    judge_everyone(stage, finalists, criteria, lambda name: SAME.get(name, [6, 6, 6]))
    slug = stage.competition.slug
    before = client.get(f"/c/{slug}/results")
    assert "The results are not published yet." in before.text
    assert "0.91" not in before.text and "베타" not in before.text
    with unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    after = client.get(f"/c/{slug}/results", headers={"Accept-Language": "ko"})
    assert "대상" in after.text and "과학기술정보통신부 장관상" in after.text
    assert "10,000,000원" in after.text
    english = client.get(f"/c/{slug}/results?lang=en")
    assert "Grand Prize" in english.text and "₩10,000,000" in english.text


def test_the_organizer_walks_the_console(client, login, stage):
    slug, p = stage.competition.slug, stage.problem.slug
    login(stage.organizer)
    client.post(f"/c/{slug}/finals/settings", data={
        "settings-finalists_per_division": "2",
        "settings-quantitative_weight": "0.2", "settings-formula": "ratio",
        "settings-exponent": "2", "settings-aggregation": "trimmed_mean", "settings-trim": "0.2",
        "settings-bootstrap_resamples": "500", "settings-max_upload_mb": "50",
    })  # fmt: skip
    client.post(f"/c/{slug}/finals/p/{p}/shortlist")
    client.post(
        f"/c/{slug}/finals/criteria",
        data={"criterion-name": "기술성", "criterion-weight": "100", "criterion-max_points": "10"},
    )
    division = stage.competition.divisions[0].id
    client.post(f"/c/{slug}/finals/p/{p}/tiers", data={
        "tier-division_id": str(division), "tier-name_ko": "대상", "tier-name_en": "Grand Prize",
        "tier-teams": "1", "tier-amount": "10000000", "tier-currency": "krw",
        "tier-awarding_body": "과학기술정보통신부 장관상"})  # fmt: skip
    page = client.get(f"/c/{slug}/finals")
    assert page.text.count('data-finalist="') == 4  # two per division
    assert "대상" in page.text or "Grand Prize" in page.text
    refused = client.post(f"/c/{slug}/finals/finalize", follow_redirects=True)
    assert "Some finalists have no final score yet" in refused.text
    audit = client.get(f"/c/{slug}/audit?action=shortlisted")
    assert audit.text.count('data-action="shortlisted"') == 1
    assert 'data-action="settings_changed"' not in audit.text


def test_a_finalist_team_is_told_on_the_competition_page(client, login, judged):
    stage, _, _ = judged
    slug = stage.competition.slug
    login(stage.leaders["알파"])
    assert "your team is a finalist of 불량 검출" in client.get(f"/c/{slug}").text
    login(stage.leaders["델타"])  # fourth in its division: not shortlisted
    assert "finalist" not in client.get(f"/c/{slug}").text
    login(stage.judges["snu"])
    assert f'href="/c/{slug}/judging"' in client.get(f"/c/{slug}").text


def test_a_problem_may_show_kaggle_style_medals_on_its_private_board(client, login, make):
    from tests.submissions.helpers import score, submit

    competition = make.competition()
    problem = make.problem(competition)
    for n in range(12):  # under 100 teams: gold top 10%, silver 20%, bronze 40%
        leader = make.user()
        make.team(competition, leader)
        score(submit(problem, leader), 0.5, 0.9 - n * 0.01)
    with unit_of_work():
        problem.revealed_at = utcnow()
    url = f"/c/{competition.slug}/p/{problem.slug}/leaderboard?board=private"
    assert 'data-medal="' not in client.get(url).text
    organizer = competition.roles[0].user
    login(organizer)
    client.post(f"/c/{competition.slug}/finals/p/{problem.slug}/medals", data={"medals": "on"})
    page = client.get(url).text
    assert [page.count(f'data-medal="{m}"') for m in ("gold", "silver", "bronze")] == [1, 1, 2]
    assert 'data-medal="' not in client.get(url.replace("private", "public")).text


def test_a_second_criterion_or_award_of_the_same_name_is_refused_and_each_change_audited(
    client, login, stage
):
    """The rubric's weights move final ranks and an award is prize money: both are audited;
    a duplicate name would leave judges and winners unable to tell two lines apart."""
    slug, p = stage.competition.slug, stage.problem.slug
    division = stage.competition.divisions[0].id
    criterion = {"criterion-weight": "50", "criterion-max_points": "10"}
    award = {"tier-division_id": str(division), "tier-teams": "1", "tier-amount": "1000",
             "tier-currency": "KRW", "tier-awarding_body": ""}  # fmt: skip
    login(stage.organizer)
    added = client.post(f"/c/{slug}/finals/criteria", data=criterion | {"criterion-name": "기술성"},
                        follow_redirects=True)  # fmt: skip
    assert "The criterion is added." in added.text
    spaced = criterion | {"criterion-name": " 기술성 "}
    again = client.post(f"/c/{slug}/finals/criteria", data=spaced, follow_redirects=True)
    assert "The rubric already has a criterion named “기술성”." in again.text
    assert [c.name for c in judging.criteria(stage.competition)] == ["기술성"]
    names = {"tier-name_ko": "대상", "tier-name_en": "Grand Prize"}
    added = client.post(f"/c/{slug}/finals/p/{p}/tiers", data=award | names, follow_redirects=True)
    assert "The award is added." in added.text
    other = award | {"tier-name_ko": "금상", "tier-name_en": "grand prize"}
    again = client.post(f"/c/{slug}/finals/p/{p}/tiers", data=other, follow_redirects=True)
    assert "This problem&#39;s division already has an award named “grand prize”." in again.text
    tiers = results.tiers(stage.problem)
    assert [t.name_ko for t in tiers] == ["대상"]
    client.post(f"/c/{slug}/finals/p/{p}/tiers/{tiers[0].id}/remove")
    criterion_id = judging.criteria(stage.competition)[0].id
    client.post(f"/c/{slug}/finals/criteria/{criterion_id}/remove")
    log = client.get(f"/c/{slug}/audit").text
    for action in ("criterion_added", "criterion_removed", "award_added", "award_removed"):
        assert log.count(f'data-action="{action}"') == 1, action
    assert "Award added" in log and "amount: 1000" in log and "weight: 50" in log
