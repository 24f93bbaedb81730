"""The judge's sheet: the rubric's weights, one save for every team, comments (심사평),
reproduction and hand-ins per finalist, and a conflicted judge kept from a team's materials."""

from __future__ import annotations

import html

import pytest

from judge.audit import log as audit
from judge.core.db import unit_of_work, utcnow
from judge.core.i18n import N_
from judge.finals import comments, judging, results, scoresheet, services
from judge.finals.models import Reproduction
from tests.finals.conftest import judge_everyone, rubric, shortlisted
from tests.finals.test_materials import SLIDES, hand_in

KO = {"Accept-Language": "ko"}


@pytest.fixture
def sheet(stage):
    """알파, 베타, 감마 (graduate) and 엡실론, 제타 (undergraduate) are the finalists."""
    finalists = {f.team.name: f for f in shortlisted(stage)}
    return stage, finalists, rubric(stage)  # 기술성 50, 창의성 30, 실용성 20; 10 points each


def form(finalists, criteria, points: dict[str, list[str]], notes: dict[str, str] | None = None):
    data = {}
    for name, values in points.items():
        for criterion, value in zip(criteria, values, strict=True):
            data[f"p-{finalists[name].id}-{criterion.id}"] = value
    for name, note in (notes or {}).items():
        data[f"comment-{finalists[name].id}"] = note
    return data


def page(client, stage, headers=None):
    return html.unescape(client.get(f"/c/{stage.competition.slug}/judging", headers=headers).text)


def post(client, stage, data, headers=None):
    answer = client.post(f"/c/{stage.competition.slug}/judging", data=data, headers=headers,
                         follow_redirects=True)  # fmt: skip
    return answer.status_code, html.unescape(answer.text)


def scored(stage, finalists, key: str) -> dict[str, dict]:
    judge = stage.judges[key]
    points = {n: judging.points_of(f, judge.id) for n, f in finalists.items()}
    return {n: p for n, p in points.items() if p}


# --- 1. weights, maximum points and the judge's own total -----------------------------------


def test_the_page_shows_weights_maximum_points_and_the_judges_own_total(client, login, sheet):
    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    before = page(client, stage)
    assert "기술성" in before and "50 (50%)" in before and "30 (30%)" in before
    assert "20 (20%)" in before and "Maximum points" in before
    assert "Your total appears once every criterion is scored." in before
    post(client, stage, form(finalists, criteria, {"베타": ["10", "5", "0"]}))
    after = page(client, stage)
    # (50·10/10 + 30·5/10 + 20·0/10) / 100 · 100 = 65
    assert "Your total: 65.00 of 100" in after
    korean = page(client, stage, KO)
    assert "비중" in korean and "내 총점: 65.00 / 100" in korean


# --- 3. one save for all teams, the progress count, all or nothing --------------------------


def test_one_save_scores_every_team_and_the_page_counts_them(client, login, sheet):
    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    assert "0 / 5 scored" in page(client, stage)
    everyone = {name: ["8", "7", "6"] for name in finalists}
    everyone["제타"] = ["8", "7", ""]  # one cell left blank: that team is not complete
    status, answer = post(client, stage, form(finalists, criteria, everyone))
    assert status == 200 and "Your scores and comments are saved." in answer
    assert "4 / 5 scored" in answer
    assert len(scored(stage, finalists, "snu")) == 5
    status, answer = post(client, stage, form(finalists, criteria, {"제타": ["8", "7", "9"]}))
    assert "5 / 5 scored" in answer
    assert "5 / 5 채점" in page(client, stage, KO)
    assert judging.points_of(finalists["알파"], stage.judges["snu"].id)  # blank cells kept others


def test_the_conflicted_judges_count_leaves_out_the_conflicted_team(client, login, sheet):
    stage, _, _ = sheet
    login(stage.judges["kaist"])  # shares KAIST with 알파
    assert "0 / 4 scored" in page(client, stage)


@pytest.mark.parametrize("headers,messages", [
    ({}, ["베타 · 기술성: give 0 to 10 points.", "제타 · 실용성: give a number.",
          "Nothing was saved: fix these cells and save again."]),
    (KO, ["베타 · 기술성: 0점에서 10점 사이로 주십시오.", "제타 · 실용성: 숫자를 입력하십시오.",
          "저장되지 않았습니다: 아래 칸을 고친 뒤 다시 저장하십시오."]),
])  # fmt: skip
def test_a_bad_cell_names_its_team_and_criterion_and_nothing_is_saved(
    client, login, sheet, headers, messages
):
    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    bad = {"알파": ["9", "9", "9"], "베타": ["11", "5", "5"], "제타": ["1", "2", "many"]}
    data = form(finalists, criteria, bad, {"알파": "훌륭한 발표"})
    status, answer = post(client, stage, data, headers)
    assert status == 422
    for message in messages:
        assert message in answer
    assert 'value="many"' in answer and 'value="11"' in answer  # what was typed stays
    assert "훌륭한 발표" in answer
    assert scored(stage, finalists, "snu") == {}  # not even 알파's good cells
    assert comments.own(stage.judges["snu"], list(finalists.values())) == {}


def test_not_a_number_infinity_and_a_too_long_comment_are_refused(client, login, sheet):
    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    data = form(finalists, criteria, {"알파": ["nan", "inf", "-1"]}, {"베타": "가" * 5001})
    status, answer = post(client, stage, data)
    assert status == 422
    assert "알파 · 기술성: give a number." in answer and "알파 · 창의성: give a number." in answer
    assert "알파 · 실용성: give 0 to 10 points." in answer
    assert "베타: keep the comment within 5000 characters." in answer
    assert scored(stage, finalists, "snu") == {}


def test_a_changed_score_is_audited_and_a_finalized_sheet_is_refused(client, login, sheet):
    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    post(client, stage, form(finalists, criteria, {"베타": ["8", "8", "8"]}))
    post(client, stage, form(finalists, criteria, {"베타": ["9", "8", "8"]}))
    entry = audit.entries(stage.competition.id, "judge_score_changed")[0]
    assert entry.before == {"기술성": 8.0} and entry.after == {"기술성": 9.0}
    judge_everyone(stage, list(finalists.values()), criteria, lambda name: [7, 7, 7])
    with unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    _, answer = post(client, stage, form(finalists, criteria, {"베타": ["1", "1", "1"]}))
    assert "The results are finalized. Reopen them to change anything." in answer
    assert judging.points_of(finalists["베타"], stage.judges["snu"].id)[criteria[0].id] == 7


def test_the_organizers_hear_once_when_a_judge_finishes_the_sheet(client, login, sheet):
    from judge.notifications.models import Notification

    stage, finalists, criteria = sheet
    login(stage.judges["snu"])
    post(client, stage, form(finalists, criteria, {n: ["5", "5", "5"] for n in finalists}))
    post(client, stage, form(finalists, criteria, {"알파": ["6", "5", "5"]}))
    sent = [n for n in Notification.query.all() if n.key.startswith("judged:")]
    assert len(sent) == 1 and sent[0].user_id == stage.organizer.id


# --- 2. comments: organizers read them; teams after publication, if shared ------------------


def test_comments_reach_the_organizers_and_the_team_only_when_shared(client, login, sheet):
    stage, finalists, criteria = sheet
    slug = stage.competition.slug
    login(stage.judges["snu"])
    notes = {"베타": "데이터 증강이 인상적입니다.\n발표는 짧게.", "감마": "재현성 보완 필요"}
    post(client, stage, form(finalists, criteria, {}, notes))
    assert "데이터 증강이 인상적입니다." in page(client, stage)  # the judge's own, kept
    login(stage.organizer)
    board = html.unescape(client.get(f"/c/{slug}/finals/reviews").text)
    assert "심사 snu" in board and "데이터 증강이 인상적입니다." in board
    assert "재현성 보완 필요" in board
    login(stage.leaders["베타"])
    hidden = html.unescape(client.get(f"/c/{slug}/finals/feedback").text)
    assert "데이터 증강" not in hidden
    assert "appear here if the organizers share them, once the results are published" in hidden
    login(stage.organizer)
    client.post(f"/c/{slug}/finals/reviews", data={"shared": "on"})
    entry = audit.entries(stage.competition.id, "comments_sharing_changed")[0]
    assert entry.before == {"shared": False} and entry.after == {"shared": True}
    login(stage.leaders["베타"])
    assert "데이터 증강" not in client.get(f"/c/{slug}/finals/feedback").text  # not published
    judge_everyone(stage, list(finalists.values()), criteria, lambda name: [7, 7, 7])
    with unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    shown = html.unescape(client.get(f"/c/{slug}/finals/feedback", headers=KO).text)
    assert "데이터 증강이 인상적입니다." in shown and "심사평" in shown
    assert "심사 snu" not in shown and "재현성 보완 필요" not in shown  # anonymous; own team only
    assert "심사평 보기" in client.get(f"/c/{slug}/finals/materials", headers=KO).text


def test_unsharing_hides_the_comments_again_and_is_audited(client, login, sheet):
    stage, finalists, criteria = sheet
    slug = stage.competition.slug
    with unit_of_work():
        comments.share_with_teams(stage.competition, stage.organizer, True)
    judge_everyone(stage, list(finalists.values()), criteria, lambda name: [7, 7, 7])
    with unit_of_work():
        comments.write(stage.judges["snu"], finalists["베타"], "좋습니다", utcnow())
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    login(stage.leaders["베타"])
    assert "좋습니다" in client.get(f"/c/{slug}/finals/feedback").text
    login(stage.organizer)
    client.post(f"/c/{slug}/finals/reviews", data={})  # the box unticked, after publication
    assert audit.entries(stage.competition.id, "comments_sharing_changed")[0].after == {
        "shared": False
    }
    login(stage.leaders["베타"])
    assert "좋습니다" not in client.get(f"/c/{slug}/finals/feedback").text


def test_only_organizers_read_the_reviews_and_only_finalists_their_feedback(client, login, sheet):
    stage, _, _ = sheet
    slug = stage.competition.slug
    for user in (stage.judges["snu"], stage.leaders["베타"], stage.sponsor):
        login(user)
        assert client.get(f"/c/{slug}/finals/reviews").status_code == 403
        assert client.post(f"/c/{slug}/finals/reviews", data={"shared": "on"}).status_code == 403
    assert not comments.shared(stage.competition)
    login(stage.leaders["델타"])  # not shortlisted
    assert client.get(f"/c/{slug}/finals/feedback").status_code == 404


# --- 4. reproduction outcome and hand-in status ---------------------------------------------


def test_each_finalist_shows_its_reproduction_and_hand_in(client, login, sheet):
    stage, finalists, _ = sheet
    slug = stage.competition.slug
    login(stage.leaders["베타"])
    hand_in(client, slug, finalists["베타"], "report", SLIDES, "발표자료.pdf")
    with unit_of_work():
        finalists["감마"].reproduction = Reproduction.FAILED
        finalists["감마"].reproduction_note = N_("The team has no final submission.")
        finalists["베타"].reproduction = Reproduction.REPRODUCED
    login(stage.judges["snu"])
    text = page(client, stage)
    beta = text.split('data-finalist="베타"')[1].split("</section>")[0]
    assert "reproduced" in beta and "발표자료.pdf" not in beta  # the link says "report"
    assert 'data-material="report"' in beta and "no code" in beta
    gamma = text.split('data-finalist="감마"')[1].split("</section>")[0]
    assert "failed" in gamma and "The team has no final submission." in gamma
    assert "nothing handed in yet" in gamma
    korean = page(client, stage, KO)
    assert "재현됨" in korean and "아직 제출물 없음" in korean


# --- 5. a conflicted judge, from the attacker's side ----------------------------------------


def test_a_conflicted_judge_sees_why_and_no_materials(client, login, sheet):
    stage, finalists, _ = sheet
    slug, alpha = stage.competition.slug, finalists["알파"]
    login(stage.leaders["알파"])
    hand_in(client, slug, alpha, "report", SLIDES, "alpha.pdf")
    login(stage.judges["kaist"])
    text = page(client, stage)
    card = text.split('data-finalist="알파"')[1].split("</section>")[0]
    assert "Conflict of interest: you share an affiliation with a member of this team" in card
    assert "data-material" not in card and f"p-{alpha.id}-" not in card
    assert f"comment-{alpha.id}" not in card
    assert "이해충돌" in page(client, stage, KO)
    for kind in ("report", "code"):
        assert client.get(f"/c/{slug}/finals/finalists/{alpha.id}/{kind}").status_code == 404
    assert client.get(f"/c/{slug}/finals/materials").status_code == 404
    assert client.get(f"/c/{slug}/finals/feedback").status_code == 404
    login(stage.judges["snu"])  # without the conflict, the same link works
    assert client.get(f"/c/{slug}/finals/finalists/{alpha.id}/report").data == SLIDES


@pytest.mark.parametrize("headers,message", [
    ({}, "You cannot score 알파: you share an affiliation with it."),
    (KO, "알파 팀은 채점할 수 없습니다: 소속이 같습니다."),
])  # fmt: skip
def test_a_conflicted_judge_posting_the_team_in_the_sheet_changes_nothing(
    client, login, sheet, headers, message
):
    stage, finalists, criteria = sheet
    login(stage.judges["kaist"])
    attempts = [
        form(finalists, criteria, {"알파": ["10", "10", "10"], "베타": ["5", "5", "5"]}),
        form(finalists, criteria, {"베타": ["5", "5", "5"]}, {"알파": "뒷거래"}),
        form(finalists, criteria, {"베타": ["5", "5", "5"]}, {"알파": ""}),
    ]
    for data in attempts:
        status, answer = post(client, stage, data, headers)
        assert status == 200 and message in answer
    assert scored(stage, finalists, "kaist") == {}  # not even 베타's
    assert comments.own(stage.judges["kaist"], list(finalists.values())) == {}


def test_a_judge_cannot_slip_in_other_teams_or_criteria(client, login, make, sheet):
    stage, finalists, criteria = sheet
    other = make.competition(make.user(), title="다른 대회")
    with unit_of_work():
        stranger = judging.add_criterion(other, "남의 기준", 10, 10)  # another competition's
    login(stage.judges["snu"])
    beta = finalists["베타"].id
    for data, message in [
        ({"p-999999-1": "5"}, "The sheet names a team you do not judge."),
        ({f"p-{beta}-{stranger.id}": "5"}, "베타: the sheet names an unknown criterion."),
    ]:
        _, answer = post(client, stage, data)
        assert message in answer
    assert scored(stage, finalists, "snu") == {}
    with unit_of_work():
        services.disqualify(finalists["감마"], stage.organizer, "표절", utcnow())
    _, answer = post(client, stage, form(finalists, criteria, {"감마": ["5", "5", "5"]}))
    assert "The sheet names a team you do not judge." in answer


def test_the_sheet_reader_ignores_foreign_fields_and_blank_cells():
    sheet = scoresheet.from_form({"p-3-4": " 7 ", "p-3-5": "", "comment-3": "좋음",
                                  "csrf_token": "x", "p-x-1": "9", "comment-9": ""})  # fmt: skip
    assert sheet[3].cells == {4: "7"} and sheet[3].comment == "좋음"
    assert sheet[9].cells == {} and sheet[9].comment == ""
    assert set(sheet) == {3, 9}
