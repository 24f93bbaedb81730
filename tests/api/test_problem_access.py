"""Who may see problems and download their files — tested from every role's side."""

import io

import pytest

from judge.competitions import services
from judge.competitions.models import Role
from judge.core.db import unit_of_work
from tests.factories import SOLUTION_CSV

ROLES = ["anonymous", "participant", "team_member", "judge", "other_sponsor", "sponsor",
         "organizer", "admin"]  # fmt: skip


@pytest.fixture
def world(make):
    organizer = make.user()
    competition = make.competition(organizer)
    with unit_of_work():
        other_sponsor = services.add_sponsor(competition, "Rival Corp")
    people = {
        "anonymous": None,
        "participant": make.user(),
        "team_member": make.user(),
        "judge": make.user(),
        "other_sponsor": make.user(),
        "sponsor": make.user(),
        "organizer": organizer,
        "admin": make.user(admin=True),
    }
    make.team(competition, people["team_member"])
    make.role(competition, people["judge"], Role.JUDGE)
    make.sponsor_member(competition, people["sponsor"])
    with unit_of_work():
        services.add_sponsor_member(other_sponsor, people["other_sponsor"].email, organizer)
    published = make.problem(competition)
    draft = make.problem(competition, publish=False)
    return competition, people, published, draft


@pytest.mark.parametrize("role", ROLES)
def test_solution_download_only_for_organizers_and_own_sponsor(api, world, role):
    _competition, people, problem, _draft = world
    response = api.get(f"/problems/{problem.id}/solution", as_=people[role])
    allowed = role in {"sponsor", "organizer", "admin"}
    expected = 200 if allowed else 401 if role == "anonymous" else 403
    assert response.status_code == expected
    if allowed:
        assert response.data.decode() == SOLUTION_CSV
        assert response.headers["Content-Disposition"].startswith("attachment")
    else:
        assert SOLUTION_CSV.splitlines()[1] not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_draft_problems_are_hidden_from_all_but_managers(api, world, role):
    competition, people, _problem, draft = world
    response = api.get(f"/problems/{draft.id}", as_=people[role])
    listed = api.get(f"/competitions/{competition.slug}/problems", as_=people[role]).json
    managers = {"sponsor", "organizer", "admin"}
    assert response.status_code == (200 if role in managers else 404)
    assert (draft.id in {p["id"] for p in listed}) == (role in managers)


@pytest.mark.parametrize("role", ROLES)
def test_solution_details_only_for_managers(api, world, role):
    _competition, people, problem, _draft = world
    body = api.get(f"/problems/{problem.id}", as_=people[role]).json
    assert ("solution" in body) == (role in {"sponsor", "organizer", "admin"})
    assert "split_salt" not in body


def test_public_files_need_accepted_rules(api, make, world):
    competition, people, problem, _draft = world
    user = people["participant"]
    file_id = problem.files[0].id
    path = f"/problems/{problem.id}/files/{file_id}"
    before = api.get(path, as_=user)
    assert before.status_code == 403
    api.post(f"/competitions/{competition.slug}/rules/accept", as_=user)
    after = api.get(path, as_=user)
    assert after.status_code == 200
    assert after.data == b"id,x,label\n1,0.5,1\n"
    assert after.headers["X-Content-Type-Options"] == "nosniff"


def test_file_of_another_problem_is_404(api, make, world):
    competition, people, problem, _draft = world
    other = make.problem(competition)
    path = f"/problems/{problem.id}/files/{other.files[0].id}"
    assert api.get(path, as_=people["organizer"]).status_code == 404


def test_sponsor_uploads_public_file_participant_cannot(api, world):
    _competition, people, problem, _draft = world
    data = {"file": (io.BytesIO(b"id,x\n1,2\n"), "test.csv"), "description": "inputs"}
    denied = api.post(f"/problems/{problem.id}/files", as_=people["team_member"], data=dict(data))
    assert denied.status_code == 403
    data = {"file": (io.BytesIO(b"id,x\n1,2\n"), "test.csv"), "description": "inputs"}
    created = api.post(f"/problems/{problem.id}/files", as_=people["sponsor"], data=data)
    assert created.status_code == 201
    assert created.json["filename"] == "test.csv"


def test_wrong_public_file_type_is_422(api, world):
    _competition, people, problem, _draft = world
    data = {"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")}
    response = api.post(f"/problems/{problem.id}/files", as_=people["organizer"], data=data)
    assert response.status_code == 422
    assert "file type" in response.json["error"]["message"]


def test_a_sponsor_submits_for_review_and_an_organizer_publishes(api, world):
    _competition, people, _problem, draft = world
    assert api.post(f"/problems/{draft.id}/publish", as_=people["judge"]).status_code == 404
    refused = api.post(f"/problems/{draft.id}/publish", as_=people["sponsor"])
    assert refused.status_code == 403
    assert refused.json["error"]["message"] == (
        "A sponsor's problem is published by the organizers: submit it for review."
    )
    asked = api.post(f"/problems/{draft.id}/submit-for-review", as_=people["sponsor"])
    assert asked.status_code == 200 and asked.json["in_review"] is True
    assert api.get(f"/problems/{draft.id}", as_=people["participant"]).status_code == 404
    published = api.post(f"/problems/{draft.id}/publish", as_=people["organizer"])
    assert published.status_code == 200
    assert published.json["published"] is True and published.json["in_review"] is False
    assert api.get(f"/problems/{draft.id}", as_=people["participant"]).status_code == 200


def test_replace_solution_checks_it_first(api, world):
    _competition, people, problem, _draft = world
    bad = {"solution": (io.BytesIO(b"id,label\n1,0\n1,0\n"), "s.csv")}
    response = api.put(f"/problems/{problem.id}/solution", as_=people["organizer"], data=bad)
    assert response.status_code == 422
    download = api.get(f"/problems/{problem.id}/solution", as_=people["organizer"])
    assert download.data.decode() == SOLUTION_CSV


def test_a_problem_in_review_is_the_organizers_until_sent_back(api, world):
    """What the organizers publish is what they reviewed: the sponsor changes nothing of a
    problem waiting in review; sent back (through the API too), it is theirs again."""
    _competition, people, _problem, draft = world
    api.post(f"/problems/{draft.id}/submit-for-review", as_=people["sponsor"])
    refused = api.patch(f"/problems/{draft.id}", as_=people["sponsor"], json={"title": "Late"})
    assert refused.status_code == 409
    assert refused.json["error"]["message"] == (
        "The organizers are reviewing this problem: ask them to send it back before changing "
        "“title”."
    )
    upload = {"file": (io.BytesIO(b"id\n1\n"), "late.csv")}
    assert api.post(f"/problems/{draft.id}/files", as_=people["sponsor"],
                    data=upload).status_code == 409  # fmt: skip
    blank = api.post(f"/problems/{draft.id}/send-back", as_=people["organizer"],
                     json={"comment": " "})  # fmt: skip
    assert blank.status_code == 422
    assert blank.json["error"]["message"] == "Please say what the sponsor should change."
    back = api.post(f"/problems/{draft.id}/send-back", as_=people["organizer"],
                    json={"comment": "Describe the units."})  # fmt: skip
    assert back.status_code == 200
    assert (back.json["in_review"], back.json["review_comment"]) == (False, "Describe the units.")
    changed = api.patch(f"/problems/{draft.id}", as_=people["sponsor"], json={"title": "Units"})
    assert changed.status_code == 200 and changed.json["title"] == "Units"
