"""The organizer's "carry now": a confirm page with the counts, the carry, the page again; a
scoring-only phase refuses uploads on the web and the API; the finals console's deciding
phase."""

from __future__ import annotations

import io
from datetime import timedelta

from judge.core.db import unit_of_work, utcnow
from judge.problems import series as service
from judge.problems.models import Carry
from tests.services.test_carrying import TEAMS, World


def test_the_confirm_page_counts_then_carries_then_says_how_many_were_carried(make, client,
                                                                              login):  # fmt: skip
    world = World(make)
    world.close_pre()
    here = f"/c/{world.competition.slug}/p/{world.final.slug}"
    login(world.organizer)
    assert f'href="{here}/carry"' in client.get(f"{here}/manage").text
    page = client.get(f"{here}/carry").text
    assert "4 teams&#39; entries will be scored on 본선 of Defect vision." in page
    for board in ("private", "public"):
        assert f"top 2 teams of each division on the {board} leaderboard of 예선 of Defect" in page
    assert "대학원: 2." in page and "학부: 2." in page
    assert "tells the teams whether they are in its top 2" in page  # not revealed yet
    assert 'value="private"' in page and 'value="public"' in page
    assert world.carried() == []  # asking changed nothing
    done = client.post(f"{here}/carry", data={"choice": "public"}, follow_redirects=True)
    assert "4 teams&#39; entries were carried to 본선 of Defect vision." in done.text
    assert world.names(world.carried()) == {"베타", "감마", "제타", "엡실론"}
    again = client.get(f"{here}/carry").text
    assert "4 teams&#39; entries were carried before and are skipped." in again
    assert "0 teams&#39; entries will be scored" in again


def test_a_participant_may_not_carry_and_a_phase_taking_nothing_says_so(make, client, login):
    world = World(make)
    world.close_pre()
    login(world.leaders["알파"])
    assert client.post(f"/c/{world.competition.slug}/p/{world.final.slug}/carry",
                       data={"choice": "private"}).status_code == 403  # fmt: skip
    login(world.organizer)
    answer = client.get(f"/c/{world.competition.slug}/p/{world.pre.slug}/carry",
                        follow_redirects=True)  # fmt: skip
    assert "This phase takes no entries from an earlier phase." in answer.text
    assert world.carried() == []


def test_a_scoring_only_phase_refuses_uploads_on_the_web_and_the_api(make, client, login):
    world = World(make, carry=Carry.ALL, scoring_only=True)
    leader = world.leaders["알파"]
    answer = client.post(f"/api/v1/problems/{world.final.id}/submissions",
                         headers={"Authorization": f"Bearer {make.token(leader)}"},
                         data={"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv")})  # fmt: skip
    assert answer.status_code == 403
    assert "This phase takes no uploads" in answer.json["error"]["message"]
    login(leader)
    here = f"/c/{world.competition.slug}/p/{world.final.slug}"
    assert "This phase takes no uploads" in client.get(here).text  # no upload form
    page = client.post(f"{here}/submissions",
                       data={"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv")},
                       follow_redirects=True)  # fmt: skip
    assert "This phase takes no uploads" in page.text
    assert world.carried() == []


def test_the_finals_console_shows_and_changes_the_deciding_phase(make, client, login):
    world = World(make)
    slug = world.competition.slug
    login(world.organizer)
    console = client.get(f"/c/{slug}/finals").text
    assert "Decides now: 본선" in console
    assert f'data-problem="{world.final.slug}"' in console
    assert f'data-problem="{world.pre.slug}"' not in console  # not a phase finals rank
    assert client.get(f"/c/{slug}/finals/p/{world.pre.slug}/shortlist").status_code == 404
    answer = client.post(f"/c/{slug}/finals/series/{world.series.id}/decides",
                         data={"row_id": world.pre.id}, follow_redirects=True)  # fmt: skip
    assert "The phase that decides the ranking is changed." in answer.text
    assert service.deciding_row(world.series).id == world.pre.id
    assert len(TEAMS) == len(world.teams)


def test_a_team_not_carried_sees_why_and_no_quota_it_cannot_use(make, client, login):
    world = World(make)
    world.close_pre()
    world.carry()
    with unit_of_work():
        world.final.opens_at = utcnow() - timedelta(hours=1)
        world.final.closes_at = utcnow() + timedelta(days=3)
    phase = f"/c/{world.competition.slug}/s/{world.series.slug}?phase=2"
    login(world.leaders["감마"])  # not in 예선's top 2 of its division
    page = client.get(phase).text
    assert "your team did not qualify" in page
    assert "data-quota" not in page and 'type="file"' not in page
    korean = client.get(phase, headers={"Accept-Language": "ko"}).text
    assert "우리 팀은 진출하지 못했습니다." in korean
    login(world.leaders["알파"])  # carried: uploads, with its limits
    page = client.get(phase).text
    assert "data-quota-daily" in page and 'type="file"' in page


def test_before_anyone_is_carried_a_team_is_not_told_it_did_not_qualify(make, client, login):
    world = World(make)
    world.close_pre()  # 예선 closed, its private board not revealed: nobody carried yet
    with unit_of_work():
        world.final.opens_at = utcnow() - timedelta(hours=1)
        world.final.closes_at = utcnow() + timedelta(days=3)
    login(world.leaders["알파"])  # first of its division: it will qualify
    page = client.get(f"/c/{world.competition.slug}/s/{world.series.slug}?phase=2").text
    assert "did not qualify" not in page
    assert "The teams that enter this phase are not chosen yet." in page
    korean = client.get(f"/c/{world.competition.slug}/s/{world.series.slug}?phase=2",
                        headers={"Accept-Language": "ko"}).text  # fmt: skip
    assert "이 단계에 진출할 팀이 아직 정해지지 않았습니다." in korean
    answer = client.post(f"/c/{world.competition.slug}/p/{world.final.slug}/submissions",
                         data={"file": (io.BytesIO(b"id,label\n1,0\n"), "p.csv")},
                         follow_redirects=True)  # fmt: skip
    assert "The teams that enter this phase are not chosen yet." in answer.text
    assert world.carried() == []
