"""People of a competition (issue 15, item 4): the organizers' participant export and their
acts on a team (rename, disband, disqualify, reinstate) with a reason told to its members."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification
from judge.submissions.models import Submission
from judge.teams import services as teams
from judge.teams.models import Team
from tests.conftest import PASSWORD
from tests.submissions.helpers import scored
from tests.web.conftest import count
from tests.web.test_submission_pages import upload, url

KO = {"Accept-Language": "ko"}
FORMULA = '=HYPERLINK("http://evil.example","click")'


def client_of(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def notified(user) -> list[Notification]:
    """The team-action notifications of ``user``."""
    query = sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == Kind.TEAM_ACTION
    )
    return list(db.session.scalars(query))


# --- export ----------------------------------------------------------------------------------


@pytest.fixture
def hostile(cast, make):
    """A team whose name and leader's affiliation a spreadsheet would run as formulas."""
    leader = make.user(name="Mallory", affiliation="+82 Lab")
    make.team(cast.competition, leader, name=FORMULA, members=[make.user(name="Mel")])
    return leader


def test_csv_export_has_every_participant_with_bom_and_no_formula(client, cast, as_role, hostile):
    as_role("organizer")
    response = client.get(f"/c/{cast.competition.slug}/participants.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data.startswith("\ufeff".encode())  # Excel reads the UTF-8 as such
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == ["Name", "Email", "Affiliation", "Division", "Team", "Leader",
                        "Rules accepted", "Consent version", "Award"]  # fmt: skip
    rows = {row[0]: row for row in table[1:]}
    assert set(rows) == {"Mallory", "Mel", "Pia Participant", "Rita Rival"}
    assert rows["Mallory"][1] == hostile.email
    assert rows["Mallory"][2] == "'+82 Lab"
    assert rows["Mallory"][4] == "'" + FORMULA and rows["Mel"][4] == "'" + FORMULA
    assert rows["Mallory"][5] == "Yes" and rows["Mel"][5] == ""
    assert rows["Pia Participant"][3] == cast.competition.divisions[0].name
    [entry] = audits("participants_exported")
    assert entry.actor_id == cast["organizer"].id
    assert entry.after == {"format": "csv", "rows": 4}
    log = client.get(f"/c/{cast.competition.slug}/audit", headers=KO).text
    assert "참가자 명단 내려받기" in log and "format: csv; rows: 4" in log


def test_xlsx_export_opens_with_korean_headers_and_literal_text(client, cast, as_role, hostile):
    as_role("admin")
    response = client.get(f"/c/{cast.competition.slug}/participants.xlsx", headers=KO)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][:6] == ["이름", "이메일", "소속", "부문", "팀", "팀장"]
    assert table[0][-1] == "수상"
    mallory = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Mallory")
    assert mallory[4].value == "'" + FORMULA and mallory[4].data_type == "s"
    assert mallory[5].value == "예"
    assert audits("participants_exported")[0].after == {"format": "xlsx", "rows": 4}


@pytest.mark.parametrize("role", ["participant", "judge", "sponsor", "outsider", "anonymous"])
def test_only_organizers_export(client, cast, as_role, role):
    as_role(role)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/c/{cast.competition.slug}/participants.{fmt}")
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert cast["rival"].email not in response.text
    assert audits("participants_exported") == []


def test_participants_page_offers_both_downloads_and_the_team_acts(client, cast, as_role):
    as_role("organizer")
    page = client.get(f"/c/{cast.competition.slug}/participants", headers=KO).text
    assert "엑셀(XLSX)로 내려받기" in page and "CSV로 내려받기" in page
    assert f"/c/{cast.competition.slug}/teams/{cast.team.id}/disqualify" in page


# --- acts on a team --------------------------------------------------------------------------


def act_url(cast, team, act: str) -> str:
    return f"/c/{cast.competition.slug}/teams/{team.id}/{act}"


def test_confirmation_page_says_what_will_happen(client, cast, as_role):
    scored(cast.problem, cast["participant"], 0.9, 0.8)
    as_role("organizer")
    page = client.get(act_url(cast, cast.team, "disqualify")).text
    assert (
        "The team Pia Team (1 member, 1 submission) will be removed from the leaderboards" in page
    )
    korean = client.get(act_url(cast, cast.team, "disqualify"), headers=KO).text
    assert "Pia Team 팀(팀원 1명, 제출 1건)을 리더보드와 시상에서 제외합니다" in korean


def test_a_post_without_the_confirmation_changes_nothing(client, cast, as_role):
    as_role("organizer")
    page = client.post(act_url(cast, cast.team, "disqualify"), data={"reason": "Cheating"}).text
    assert "Tick the box to confirm; nothing was changed." in page
    korean = client.post(act_url(cast, cast.team, "disband"), data={"reason": "x"}, headers=KO)
    assert "확인란에 표시해 주세요. 아무것도 바뀌지 않았습니다." in korean.text
    db.session.expire_all()
    assert not cast.team.disqualified and not cast.team.disbanded
    assert notified(cast["participant"]) == [] and audits("team_disqualified") == []


def test_the_reason_is_required_in_both_languages(client, cast, as_role):
    as_role("organizer")
    data = {"reason": "  ", "confirm": "y"}
    assert "Give the reason; the team's members will read it." in client.post(
        act_url(cast, cast.team, "disqualify"), data=data).text  # fmt: skip
    assert "사유를 적어 주세요. 팀원들이 읽게 됩니다." in client.post(
        act_url(cast, cast.team, "disqualify"), data=data, headers=KO).text  # fmt: skip
    db.session.expire_all()
    assert not cast.team.disqualified


def test_disqualify_and_reinstate_move_the_team_off_and_back_on_the_board(
    app, client, cast, as_role
):
    scored(cast.problem, cast["participant"], 0.9, 0.8)
    scored(cast.problem, cast["rival"], 0.7, 0.6)
    board = f"/c/{cast.competition.slug}/p/{cast.problem.slug}/leaderboard"
    assert "Pia Team" in client.get(board).text
    as_role("organizer")
    reason = "Shared code with another team"
    response = client.post(
        act_url(cast, cast.team, "disqualify"), data={"reason": reason, "confirm": "y"}
    )
    assert response.status_code == 302
    page = client.get(board).text
    assert "Pia Team" not in page and "Rival Team" in page
    listed = client.get(f"/c/{cast.competition.slug}/participants").text
    assert "Disqualified: Shared code with another team" in listed
    badge = '<span class="badge">disqualified</span>'
    assert badge in client.get(f"/teams/{cast.team.id}").text
    assert badge not in app.test_client().get(f"/teams/{cast.team.id}").text  # the public
    [entry] = audits("team_disqualified")
    assert entry.before == {"disqualified": False}
    assert entry.after == {"disqualified": True, "reason": "Shared code with another team"}
    member = client_of(app, cast["participant"])
    assert (
        "disqualified your team Pia Team: it is off the leaderboards and out of the awards. "
        "Reason: Shared code with another team"
    ) in member.get("/notifications").text
    assert "Pia Team 팀을 실격 처리했습니다" in member.get("/notifications", headers=KO).text
    assert notified(cast["rival"]) == []
    refused = upload(member, url(cast), follow_redirects=True).text
    assert (
        "Your team was disqualified from this competition, so it can no longer submit."
        " Reason: Shared code with another team"
    ) in refused
    assert count(Submission) == 2  # the two scored before, nothing more

    client.post(act_url(cast, cast.team, "reinstate"),
                data={"reason": "Appeal upheld", "confirm": "y"})  # fmt: skip
    assert "Pia Team" in client.get(board).text
    assert audits("team_reinstated")[0].after == {"disqualified": False, "reason": "Appeal upheld"}
    assert "Reason: Appeal upheld" in member.get("/notifications").text
    assert upload(member, url(cast)).status_code == 302 and count(Submission) == 3


def test_rename_tells_the_members_the_old_and_new_name(app, client, cast, as_role, make):
    teammate = make.user(name="Tom Teammate")
    make.accept_rules(cast.competition, teammate)
    with unit_of_work():
        teams.join_team(cast.competition, cast.team.invite_code, teammate, utcnow())
    as_role("organizer")
    form = {"name": "Clean Name", "reason": "Offensive name", "confirm": "y"}
    page = client.post(act_url(cast, cast.team, "rename"), data=form, headers=KO,
                       follow_redirects=True).text  # fmt: skip
    assert "팀 이름을 바꿨습니다. 팀원들에게 사유를 알렸습니다." in page
    db.session.expire_all()
    assert cast.team.name == "Clean Name"
    [entry] = audits("team_renamed")
    assert (entry.before, entry.after) == (
        {"name": "Pia Team"}, {"name": "Clean Name", "reason": "Offensive name"})  # fmt: skip
    for person in (cast["participant"], teammate):
        page = client_of(app, person).get("/notifications").text
        assert "renamed your team Pia Team to Clean Name. Reason: Offensive name" in page
    assert notified(cast["rival"]) == []


def test_disband_frees_the_members_and_keeps_the_team_for_organizers(app, client, cast, as_role):
    as_role("organizer")
    page = client.post(act_url(cast, cast.team, "disband"), follow_redirects=True,
                       data={"reason": "Duplicate accounts", "confirm": "y"}).text  # fmt: skip
    assert "The team is disbanded; its members are told why." in page
    db.session.expire_all()
    team = db.session.get(Team, cast.team.id)
    assert team.disbanded and team.member_count == 0
    assert teams.team_of(cast["participant"], cast.competition) is None  # free to join another
    [entry] = audits("team_disbanded")
    assert entry.before == {
        "members": [cast["participant"].id],
        "leader_id": cast["participant"].id,
    }
    assert entry.after == {"team_id": team.id, "reason": "Duplicate accounts"}
    assert "Disbanded" in client.get(f"/c/{cast.competition.slug}/participants").text
    page = client_of(app, cast["participant"]).get("/notifications", headers=KO).text
    assert "Pia Team 팀을 해체했습니다. 사유: Duplicate accounts" in page
    again = client.get(act_url(cast, cast.team, "disband")).status_code
    assert again == 200  # the page still opens; acting again is refused
    refused = client.post(act_url(cast, cast.team, "disband"), data={"reason": "x", "confirm": "y"})
    assert "The team Pia Team is disbanded already." in refused.text


@pytest.mark.parametrize("role", ["participant", "judge", "sponsor", "rival"])
def test_only_organizers_act_on_teams(client, cast, as_role, role):
    as_role(role)
    assert client.get(act_url(cast, cast.team, "disqualify")).status_code == 403
    response = client.post(act_url(cast, cast.team, "disqualify"),
                           data={"reason": "x", "confirm": "y"})  # fmt: skip
    assert response.status_code == 403
    db.session.expire_all()
    assert not cast.team.disqualified


def test_a_rename_to_a_taken_name_is_refused_in_both_languages(client, cast, as_role):
    as_role("organizer")
    form = {"name": "rival team", "reason": "Offensive name", "confirm": "y"}
    url = act_url(cast, cast.team, "rename")
    assert "Another team already uses this name." in client.post(url, data=form).text
    assert "다른 팀이 이미 이 이름을 쓰고 있습니다." in client.post(url, data=form, headers=KO).text
    db.session.expire_all()
    assert cast.team.name == "Pia Team"
    assert notified(cast["participant"]) == [] and audits("team_renamed") == []
