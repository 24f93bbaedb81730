"""An attacker's probe of the scoring-setup, fair-queue, execution-contract and review work:
each test is an attack, asserting what must hold (a hole's test failed before its fix)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from judge.competitions import services as competitions
from judge.competitions.models import CompetitionState, Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems.models import SubmissionKind
from judge.submissions import heartbeat, lifecycle, turns
from judge.submissions.models import FailureKind
from judge.teams.models import Membership
from tests.factories import SOLUTION_CSV
from tests.submissions.helpers import LEASE, submit

A1 = "/api/v1"


def _call(client, make, user, method: str, path: str, language: str = "en", **kwargs):
    headers = {"Authorization": f"Bearer {make.token(user)}", "Accept-Language": language}
    return client.open(A1 + path, method=method, headers=headers, **kwargs)


def _form_team(client, make, competition, user):
    _call(client, make, user, "POST", f"/competitions/{competition.slug}/rules/accept")
    body = {"name": "Insiders", "division_id": competition.divisions[0].id}
    return _call(client, make, user, "POST", f"/competitions/{competition.slug}/teams", json=body)


# 1. A site admin reads the split salt (which, with the solution, says which ids are public),
#    is made an ordinary user again, then competes: the salt reader may never enter.
def test_a_salt_reader_who_leaves_the_staff_cannot_form_or_join_a_team(client, make):
    competition = make.competition()
    problem = make.problem(competition)
    insider = make.user(admin=True)
    read = _call(client, make, insider, "GET", f"/problems/{problem.id}/scoring-setup")
    assert read.status_code == 200 and read.json["split_salt"] == problem.split_salt
    with unit_of_work():
        insider.is_admin = False
    refused = _form_team(client, make, competition, insider)
    assert refused.status_code == 403
    assert (
        "You read the secret split of a problem in this competition"
        in (refused.json["error"]["message"])
    )
    code = make.team(competition).invite_code
    join = f"/competitions/{competition.slug}/teams/join"
    joined = _call(client, make, insider, "POST", join, "ko", json={"code": code})
    assert joined.status_code == 403
    assert "비밀 분할 키" in joined.json["error"]["message"]
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == insider.id)) is None


# An organizer or judge could download the solution or finalists' code (not every read is
# audited): once the role is taken away, they still may not compete. Another competition's
# former staff may.
@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.JUDGE])
def test_former_staff_cannot_form_or_join_a_team(client, make, role):
    competition = make.competition()
    make.problem(competition)
    other = make.user()
    make.role(competition, other, role)
    assignment = next(r for r in competition.roles if r.user_id == other.id)
    with unit_of_work():
        competitions.remove_role(competition, assignment.id, competition.roles[0].user)
    refused = _form_team(client, make, competition, other)
    assert refused.status_code == 403
    assert (
        "You were an organizer or judge of this competition" in (refused.json["error"]["message"])
    )
    code = make.team(competition).invite_code
    join = f"/competitions/{competition.slug}/teams/join"
    joined = _call(client, make, other, "POST", join, "ko", json={"code": code})
    assert joined.status_code == 403 and "심사위원" in joined.json["error"]["message"]
    elsewhere = make.competition()
    assert _form_team(client, make, elsewhere, other).status_code == 201


def _finish(submission, seconds: float, now) -> None:
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, now - timedelta(seconds=seconds), LEASE, "w1@h")
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, "bad", "", now)


# 2. The estimated wait averages recent scorings: a team's code run on the hidden inputs (its
#    duration depends on them) must not move another team's estimate.
def test_a_code_runs_time_on_hidden_inputs_never_moves_the_estimated_wait(make):
    competition = make.competition()
    files, code = make.problem(competition), make.problem(competition)
    rival, waiting_team = make.user(), make.user()
    make.team(competition, rival)
    make.team(competition, waiting_team)
    now = utcnow()
    _finish(submit(files, rival), 6, now)
    hidden_run = submit(code, rival)
    with unit_of_work():
        db.session.merge(code).submission_kind = SubmissionKind.CODE
        heartbeat.beat("w1@h", 1, now)
    _finish(hidden_run, 600, now + timedelta(seconds=1))
    mine = submit(files, waiting_team)
    db.session.expire_all()
    assert turns.places_now([mine], utcnow())[mine.id] == turns.Place(1, 6)


def _upload(name: str, content: bytes = b"id,label\n1,0\n") -> tuple:
    return (io.BytesIO(content), name)


# 3. A problem in review is the organizers' until sent back: the sponsor changes nothing of it
#    through any path (its data, solution, scoring program, code settings), not only settings.
REVIEW_WRITES = [
    ("PUT", "/solution", lambda p: {"solution": _upload("s.csv", SOLUTION_CSV.encode())}),
    ("DELETE", "/files/{file}", None),
    ("PUT", "/scoring-program", lambda p: {"program": _upload("p.zip", b"PK"), "columns": "[]"}),
    ("DELETE", "/scoring-program", None),
    ("PUT", "/code", lambda p: {"limits": '{"wall_seconds": 5}'}),
    ("DELETE", "/code/ingestion-program", None),
    ("DELETE", "/code", None),
]


@pytest.mark.parametrize(("method", "path", "data"), REVIEW_WRITES)
def test_a_sponsor_changes_no_part_of_a_problem_in_review(client, make, method, path, data):
    competition = make.competition()
    sponsor = make.user()
    make.sponsor_member(competition, sponsor)
    draft = make.problem(competition, publish=False)
    files = [f.id for f in draft.files]
    base = f"/problems/{draft.id}"
    assert _call(client, make, sponsor, "POST", base + "/submit-for-review").status_code == 200
    kwargs = {"data": data(draft)} if data else {}
    answer = _call(client, make, sponsor, method, base + path.format(file=files[0]), **kwargs)
    assert answer.status_code == 409, answer.text
    assert answer.json["error"]["message"].startswith("The organizers are reviewing this problem")
    db.session.expire_all()
    assert [f.id for f in draft.files] == files
    solution = _call(client, make, sponsor, "GET", base + "/solution")
    assert solution.data.decode() == SOLUTION_CSV


# 4. An archived competition takes nothing more from teams: a merge asked before archiving
#    cannot be accepted after, no one leaves, and the team keeps its name.
def test_an_archived_competition_takes_no_merge_leave_or_rename(client, make, login):
    competition = make.competition(max_team_size=4)
    asking, asked = make.user(), make.user()
    into, team = make.team(competition, asking, name="Asking"), make.team(competition, asked)
    merge = f"/teams/{into.id}/merge-requests"
    request = _call(client, make, asking, "POST", merge, json={"team_id": team.id})
    assert request.status_code == 201
    with unit_of_work():
        db.session.merge(competition).state = CompetitionState.ARCHIVED
    accept = f"/teams/{team.id}/merge-requests/{request.json['id']}/accept"
    accepted = _call(client, make, asked, "POST", accept, "ko")
    assert accepted.status_code == 403 and "보관" in accepted.json["error"]["message"]
    left = _call(client, make, asked, "DELETE", f"/teams/{team.id}/members/me")
    assert left.status_code == 403 and "archived" in left.json["error"]["message"]
    login(asking)
    renamed = client.post(f"/c/{competition.slug}/team/rename", data={"name": "Renamed"},
                          follow_redirects=True)  # fmt: skip
    assert "This competition is archived" in renamed.text
    db.session.expire_all()
    assert (into.name, team.disbanded, team.member_count) == ("Asking", False, 1)
