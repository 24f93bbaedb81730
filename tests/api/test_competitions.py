import pytest

from judge.competitions.models import Competition, Role
from judge.core.extensions import db
from tests.api.conftest import error_code

NEW = {
    "slug": "ai-2026",
    "title": "AI Innovation Challenge",
    "timezone": "Asia/Seoul",
    "submissions_open_at": "2026-12-01T00:00:00+09:00",
    "submissions_close_at": "2027-01-15T18:00:00+09:00",
    "max_team_size": 4,
    "divisions": [{"name": "대학원", "eligibility": "Graduate students"}, {"name": "학부"}],
}


def test_admin_creates_competition_with_divisions(api, make):
    admin = make.user(admin=True)
    response = api.post("/competitions", as_=admin, json=NEW)
    assert response.status_code == 201
    body = response.json
    assert [d["name"] for d in body["divisions"]] == ["대학원", "학부"]
    assert body["submissions_close_at"].startswith("2027-01-15T09:00:00")  # stored as UTC
    assert body["state"] == "draft"
    assert [c["slug"] for c in api.get("/competitions", as_=admin).json] == ["ai-2026"]
    assert api.get("/competitions").json == []  # a draft until published


@pytest.mark.parametrize("who", ["participant", "anonymous"])
def test_only_admins_create_competitions(api, make, who):
    user = make.user() if who == "participant" else None
    response = api.post("/competitions", as_=user, json=NEW)
    assert response.status_code == (403 if user else 401)
    assert db.session.query(Competition).count() == 0


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"slug": "Bad Slug!"}, "slug", 422),
        ({"submissions_close_at": "2026-11-01T00:00:00+09:00"}, "submissions_close_at", 422),
        ({"timezone": "Mars/Olympus"}, "timezone", 422),
        ({"max_team_size": 0}, "max_team_size", 422),
    ],
)
def test_bad_competition_fields_are_refused(api, make, change, field, status):
    admin = make.user(admin=True)
    response = api.post("/competitions", as_=admin, json=NEW | change)
    assert response.status_code == status
    error = response.json["error"]
    assert error.get("field") == field or field in error.get("fields", {})
    assert db.session.query(Competition).count() == 0


def test_duplicate_slug_or_title_conflicts(api, make):
    admin = make.user(admin=True)
    assert api.post("/competitions", as_=admin, json=NEW).status_code == 201
    same_slug = api.post("/competitions", as_=admin, json=NEW | {"title": "Other"})
    same_title = api.post("/competitions", as_=admin, json=NEW | {"slug": "other"})
    assert (same_slug.status_code, error_code(same_slug)) == (409, "conflict")
    assert (same_title.status_code, error_code(same_title)) == (409, "conflict")


def test_duplicate_division_in_request_writes_nothing(api, make):
    admin = make.user(admin=True)
    body = NEW | {"divisions": [{"name": "학부"}, {"name": "학부"}]}
    response = api.post("/competitions", as_=admin, json=body)
    assert response.status_code == 409
    assert db.session.query(Competition).count() == 0


def test_unknown_field_is_422(api, make):
    admin = make.user(admin=True)
    response = api.post("/competitions", as_=admin, json=NEW | {"prize": 10})
    assert response.status_code == 422
    assert "prize" in response.json["error"]["fields"]


def test_unknown_competition_is_404_json(api):
    response = api.get("/competitions/nope")
    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_organizer_updates_settings_others_cannot(api, make):
    organizer = make.user()
    competition = make.competition(organizer)
    participant, judge = make.user(), make.user()
    make.role(competition, judge, Role.JUDGE)
    path = f"/competitions/{competition.slug}"
    assert api.patch(path, as_=participant, json={"max_team_size": 9}).status_code == 403
    assert api.patch(path, as_=judge, json={"max_team_size": 9}).status_code == 403
    assert api.patch(path, json={"max_team_size": 9}).status_code == 401
    response = api.patch(path, as_=organizer, json={"max_team_size": 3})
    assert response.status_code == 200
    assert response.json["max_team_size"] == 3


def test_end_before_start_on_update_keeps_old_dates(api, make):
    organizer = make.user()
    competition = make.competition(organizer)
    path = f"/competitions/{competition.slug}"
    body = {
        "registration_opens_at": "2026-12-10T00:00:00Z",
        "registration_closes_at": "2026-12-01T00:00:00Z",
    }
    response = api.patch(path, as_=organizer, json=body)
    assert response.status_code == 422
    assert api.get(path).json["registration_opens_at"] is None


def test_organizer_sets_up_sponsors_members_and_judges(api, make):
    organizer = make.user()
    competition = make.competition(organizer)
    sponsor_user, judge = make.user("lee@hanbit.ai"), make.user("kim@univ.ac.kr")
    base = f"/competitions/{competition.slug}"
    sponsor = api.post(f"{base}/sponsors", as_=organizer, json={"name": "한빛의료AI"})
    assert sponsor.status_code == 201
    sponsor_id = sponsor.json["id"]
    member = api.post(
        f"{base}/sponsors/{sponsor_id}/members", as_=organizer, json={"email": "lee@hanbit.ai"}
    )
    assert member.status_code == 201
    role = api.post(f"{base}/roles", as_=organizer, json={"email": judge.email, "role": "judge"})
    assert role.status_code == 201
    again = api.post(f"{base}/roles", as_=organizer, json={"email": judge.email, "role": "judge"})
    assert again.status_code == 409
    members = api.get(f"{base}/sponsors/{sponsor_id}/members", as_=sponsor_user)
    assert [m["user"]["name"] for m in members.json] == [sponsor_user.name]


@pytest.mark.parametrize("who", ["participant", "judge", "sponsor"])
def test_non_organizers_cannot_set_up(api, make, who):
    competition = make.competition()
    user = make.user()
    if who == "judge":
        make.role(competition, user, Role.JUDGE)
    if who == "sponsor":
        make.sponsor_member(competition, user)
    base = f"/competitions/{competition.slug}"
    assert api.post(f"{base}/sponsors", as_=user, json={"name": "X"}).status_code == 403
    assert api.post(f"{base}/divisions", as_=user, json={"name": "X"}).status_code == 403
    role = {"email": user.email, "role": "organizer"}
    assert api.post(f"{base}/roles", as_=user, json=role).status_code == 403
    assert api.get(f"{base}/roles", as_=user).status_code == 403


def test_role_for_an_address_without_an_account_is_an_invitation(api, make):
    organizer = make.user()
    competition = make.competition(organizer)
    response = api.post(
        f"/competitions/{competition.slug}/roles",
        as_=organizer,
        json={"email": "ghost@example.com", "role": "judge"},
    )
    assert response.status_code == 202, response.text
    assert response.json["status"] == "invited"
    assert (response.json["email"], response.json["role"]) == ("ghost@example.com", "judge")
    assert [r.role for r in competition.roles] == [Role.ORGANIZER]


def test_other_sponsor_cannot_list_members(api, make):
    competition = make.competition()
    outsider = make.user()
    sponsor_id = competition.sponsors[0].id
    path = f"/competitions/{competition.slug}/sponsors/{sponsor_id}/members"
    assert api.get(path, as_=outsider).status_code == 403


def test_accept_rules_is_idempotent(api, make):
    competition = make.competition()
    user = make.user()
    path = f"/competitions/{competition.slug}/rules/accept"
    first = api.post(path, as_=user)
    second = api.post(path, as_=user)
    assert first.status_code == second.status_code == 200
    assert first.json["accepted_at"] == second.json["accepted_at"]
