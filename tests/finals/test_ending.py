"""Issue 15, item 6: the ending. The results name each awarded team's members; awarded teams
download their certificate (상장) as PDF in Korean and English, organizers all of them in one
ZIP; nobody else gets one, and nobody before publication; finalists hand in nothing more."""

from __future__ import annotations

import html
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from judge.core.db import unit_of_work, utcnow
from judge.finals import results
from judge.teams import services as teams
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted
from tests.finals.test_materials import SLIDES, hand_in

POINTS = {"알파": [9, 9, 9], "베타": [7, 7, 7], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}
KO = {"Accept-Language": "ko"}


@pytest.fixture
def judged(make, stage):
    """알파 (with a second member, 김팀원) and everyone judged: 알파 wins 대상, 베타 최우수상 and
    a special prize."""
    make.accept_rules(stage.competition, member := make.user(name="김팀원"))
    with unit_of_work():
        teams.join_team(stage.competition, stage.teams["알파"].invite_code, member, utcnow())
    stage.leaders["알파 팀원"] = member
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    minister_award(stage)
    judge_everyone(stage, finalists, criteria, lambda name: POINTS.get(name, [6, 6, 6]))
    with unit_of_work():
        results.add_special_prize(stage.competition, stage.teams["베타"].id, {
            "name": "후원기업 특별상", "awarding_body": "한빛전자", "amount": 1_000_000,
            "currency": "KRW"})  # fmt: skip
    return stage


def publish(stage):
    with unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)


def certificate_urls(page: str) -> list[str]:
    return [html.unescape(part.split('"')[0]) for part in page.split('href="')[1:]
            if "/results/certificates/" in part.split('"')[0]]  # fmt: skip


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_results_name_members_award_body_and_money_in_both_languages(client, judged):
    publish(judged)
    slug = judged.competition.slug
    english = client.get(f"/c/{slug}/results").text
    korean = client.get(f"/c/{slug}/results", headers=KO).text
    alpha = english.split("<td>알파</td>")[1].split("</tr>")[0]
    assert "알파 팀장, 김팀원" in alpha and "Grand Prize" in alpha
    assert "과학기술정보통신부 장관상" in alpha and "₩10,000,000" in alpha
    alpha_ko = korean.split("<td>알파</td>")[1].split("</tr>")[0]
    assert "대상" in alpha_ko and "10,000,000원" in alpha_ko and "Grand Prize" not in alpha_ko
    prize = english.split('data-prize="')[1].split("</li>")[0]
    assert "후원기업 특별상" in prize and "베타 팀장" in prize and "한빛전자" in prize
    assert "Special prizes" in english and "특별상" in korean
    assert "Shake-up" in english and "순위 변동" in korean


def test_a_member_downloads_the_korean_and_english_certificates(client, login, judged):
    publish(judged)
    slug = judged.competition.slug
    login(judged.leaders["알파 팀원"])
    urls = certificate_urls(client.get(f"/c/{slug}/results").text)
    assert len(urls) == 2 and all("/tier-" in u for u in urls)  # its own award only
    korean = client.get(next(u for u in urls if u.endswith("/ko.pdf")))
    assert korean.status_code == 200 and korean.headers["Content-Type"] == "application/pdf"
    assert "attachment" in korean.headers["Content-Disposition"]
    text = pdf_text(korean.data)
    for words in ("상장", "대상", "과학기술정보통신부 장관상", "알파", "알파 팀장", "김팀원",
                  "불량 검출", "AI 혁신 챌린지"):  # fmt: skip
        assert words in text, words
    english = pdf_text(client.get(next(u for u in urls if u.endswith("/en.pdf"))).data)
    assert "Certificate of award" in english and "Grand Prize" in english
    assert "김팀원" in english and "과학기술정보통신부 장관상" in english
    team_page = client.get(f"/teams/{judged.teams['알파'].id}").text
    assert certificate_urls(team_page) == urls


def test_the_certificate_is_dated_in_the_competitions_zone(client, login, judged):
    with unit_of_work():
        judged.competition.timezone = "Asia/Seoul"
    publish(judged)
    login(judged.organizer)
    url = certificate_urls(client.get(f"/c/{judged.competition.slug}/results").text)[0]
    published = results.settings_of(judged.competition).locked_at
    day = published.astimezone(ZoneInfo("Asia/Seoul"))
    text = pdf_text(client.get(url.replace("/en.pdf", "/ko.pdf")).data)
    assert f"{day.year}년 {day.month}월 {day.day}일" in text


def test_only_the_team_and_organizers_get_a_certificate_and_only_once_published(
    client, login, make, judged
):
    slug = judged.competition.slug
    login(judged.organizer)
    assert client.get(f"/c/{slug}/results/certificates.zip").status_code == 404
    publish(judged)
    urls = certificate_urls(client.get(f"/c/{slug}/results").text)
    assert len(urls) == 6  # the organizer: 알파's and 베타's tiers, 베타's prize; two languages
    alpha_key = urls[0]  # 대상, first on the page
    prize_key = next(u for u in urls if "/prize-" in u)
    assert client.get(alpha_key).status_code == 200
    login(judged.leaders["베타"])  # another team: its own prize, not 알파's certificate
    assert client.get(alpha_key).status_code == 404
    assert client.get(prize_key).status_code == 200
    assert client.get(f"/c/{slug}/results/certificates.zip").status_code == 403
    login(judged.leaders["델타"])  # a team without an award
    assert certificate_urls(client.get(f"/c/{slug}/results").text) == []
    assert client.get(alpha_key).status_code == 404
    client.post("/logout")
    assert client.get(alpha_key).status_code == 404
    assert certificate_urls(client.get(f"/c/{slug}/results").text) == []
    with unit_of_work():  # reopened: nothing is published, no certificate either
        results.reopen(judged.competition, judged.organizer, "재심사")
    login(judged.leaders["알파"])
    assert client.get(alpha_key).status_code == 404
    login(judged.organizer)
    assert client.get(alpha_key).status_code == 404


def test_the_organizers_zip_holds_one_pdf_per_award_and_language(client, login, judged):
    publish(judged)
    login(judged.organizer)
    answer = client.get(f"/c/{judged.competition.slug}/results/certificates.zip")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    names = sorted(archive.namelist())
    assert len(names) == 6 and all(n.endswith(".pdf") for n in names)
    assert {n.split("-")[0] for n in names} == {"알파", "베타"}
    texts = {n: pdf_text(archive.read(n)) for n in names}
    prize = next(n for n in names if n.startswith("베타-prize") and n.endswith("ko.pdf"))
    beta_ko = texts[prize]
    assert "후원기업 특별상" in beta_ko and "한빛전자" in beta_ko and "베타 팀장" in beta_ko


def test_finalists_hand_in_nothing_after_finalization(client, login, judged):
    slug = judged.competition.slug
    alpha = next(f for f in results.finalists(judged.problem) if f.team.name == "알파")
    publish(judged)
    login(judged.leaders["알파"])
    assert "Hand in your code and report" not in client.get(f"/c/{slug}").text
    page = client.get(f"/c/{slug}/finals/materials").text
    assert "data-handins-closed" in page and 'type="file"' not in page
    refused = hand_in(client, slug, alpha, "report", SLIDES, "late.pdf")
    assert "The results are finalized: the finals&#39; hand-ins are closed." in refused.text
    assert alpha.report_key is None
    korean = client.get(f"/c/{slug}/finals/materials", headers=KO).text
    assert "data-handins-closed" in korean


def test_a_hostile_team_name_is_printed_as_text_and_fetches_nothing(client, login, judged):
    hostile = '<img src="file:///etc/hostname">알파'
    with unit_of_work():
        judged.teams["알파"].name = hostile
    publish(judged)
    login(judged.leaders["알파"])
    url = certificate_urls(client.get(f"/c/{judged.competition.slug}/results").text)[0]
    answer = client.get(url)
    assert answer.status_code == 200 and hostile in pdf_text(answer.data)
