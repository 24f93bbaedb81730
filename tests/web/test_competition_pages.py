"""The competition list, creating a competition, and the competition page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from judge.competitions.models import Competition, Division
from tests.web.conftest import ROLES, count


def new_competition(**changes) -> dict:
    return {
        "slug": "ai-2026",
        "title": "AI Innovation 2026",
        "description": "## About\nField data from factories.",
        "rules": "No external data.",
        "timezone": "Asia/Seoul",
        "submissions_open_at": "2026-03-01T09:00",
        "submissions_close_at": "2026-04-01T18:00",
        "max_team_size": "4",
        "divisions": "Graduate | enrolled graduate students\nUndergraduate",
    } | changes


def test_index_lists_competitions_with_counts(client, cast):
    page = client.get("/").text
    assert cast.competition.title in page
    assert f'href="/c/{cast.competition.slug}"' in page
    assert "<dt>Teams</dt><dd>2</dd>" in page
    assert "<dt>Problems</dt><dd>1</dd>" in page  # the draft is not counted


def test_admin_creates_competition_with_divisions(client, login, make):
    login(make.user(admin=True))
    response = client.post("/competitions/new", data=new_competition())
    assert response.status_code == 302
    assert count(Competition) == 1
    assert [d.name for d in Division.query.order_by(Division.id)] == ["Graduate", "Undergraduate"]


def test_dates_are_read_and_shown_in_the_competition_timezone(client, login, make):
    login(make.user(admin=True))
    client.post("/competitions/new", data=new_competition())
    competition = Competition.query.one()
    assert competition.submissions_open_at == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert "Mar 1, 2026, 9:00\u202fAM KST" in client.get("/c/ai-2026").text


@pytest.mark.parametrize("role", ["outsider", "participant", "judge", "sponsor", "organizer"])
def test_only_site_admins_create_competitions(client, cast, as_role, role):
    as_role(role)
    response = client.post("/competitions/new", data=new_competition())
    assert response.status_code == 403
    assert count(Competition) == 1


def test_anonymous_is_sent_to_log_in_for_new_competition(client):
    response = client.get("/competitions/new")
    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "challenge-1"}, "A competition with this short name already exists."),
        ({"title": "Taken Title"}, "A competition with this title already exists."),
        ({"submissions_close_at": "2026-02-01T09:00"}, "The end must come after the start."),
        ({"timezone": "Mars/Olympus"}, "Unknown timezone. Use a name such as Asia/Seoul."),
        ({"slug": "No Spaces!"}, "Use 3–64 lowercase letters, digits and hyphens"),
    ],
)
def test_bad_competition_input_shows_a_message_and_writes_nothing(
    client, login, make, changes, message
):
    make.competition(slug="challenge-1", title="Taken Title")
    login(make.user(admin=True))
    response = client.post("/competitions/new", data=new_competition(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert count(Competition) == 1
    assert count(Division) == 2  # only the existing competition's


def test_duplicate_division_lines_roll_back_the_whole_competition(client, login, make):
    login(make.user(admin=True))
    response = client.post("/competitions/new", data=new_competition(divisions="A\nA"))
    assert "already has a division with that name" in response.text
    assert count(Competition) == 0


def test_page_shows_description_rules_divisions_and_sponsors(client, cast):
    page = client.get(f"/c/{cast.competition.slug}").text
    assert "<p>Be fair.</p>" in page
    assert "대학원" in page and "Graduate students" in page
    assert "Other Sponsor" in page
    assert "Asia/Seoul timezone" in page


def test_markdown_in_the_description_is_sanitised(client, make):
    competition = make.competition(description="<script>alert(1)</script>**bold**")
    page = client.get(f"/c/{competition.slug}").text
    assert "<script>alert(1)" not in page
    assert "<strong>bold</strong>" in page


def test_unknown_competition_is_404(client):
    assert client.get("/c/nope").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_published_problem_is_listed_for_everyone(client, cast, as_role, role):
    as_role(role)
    assert "/p/visible" in client.get(f"/c/{cast.competition.slug}").text


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("participant", False),
        ("judge", False),
        ("other_sponsor", False),
        ("sponsor", True),
        ("organizer", True),
        ("admin", True),
    ],
)
def test_drafts_are_listed_only_for_their_managers(client, cast, as_role, role, sees_draft):
    as_role(role)
    page = client.get(f"/c/{cast.competition.slug}").text
    assert ("Secret Draft" in page) is sees_draft


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("organizer", True),
        ("admin", True),
        ("judge", False),
        ("sponsor", False),
        ("participant", False),
    ],
)
def test_console_link_only_for_organizers(client, cast, as_role, role, sees):
    as_role(role)
    page = client.get(f"/c/{cast.competition.slug}").text
    assert (f"/c/{cast.competition.slug}/manage" in page) is sees


def test_member_sees_own_team_card_with_invite_code(client, cast, as_role):
    as_role("participant")
    page = client.get(f"/c/{cast.competition.slug}").text
    assert "Pia Team" in page and "Pia Participant" in page
    assert cast.team.invite_code in page
    assert cast.rival_team.invite_code not in page


@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "judge", "sponsor", "organizer", "admin"]
)
def test_non_members_see_no_invite_code(client, cast, as_role, role):
    as_role(role)
    page = client.get(f"/c/{cast.competition.slug}").text
    assert cast.team.invite_code not in page
    assert cast.rival_team.invite_code not in page


def test_team_forms_appear_only_after_accepting_the_rules(client, cast, as_role):
    as_role("outsider")
    url = f"/c/{cast.competition.slug}"
    assert "Create team" not in client.get(url).text
    client.post(f"{url}/rules/accept")
    page = client.get(url).text
    assert "You have accepted the rules." in page
    assert "Create team" in page and "Join team" in page


def test_staff_get_no_team_forms(client, cast, as_role):
    as_role("judge")
    client.post(f"/c/{cast.competition.slug}/rules/accept")
    page = client.get(f"/c/{cast.competition.slug}").text
    assert "Create team" not in page
    assert "cannot enter it as a participant" in page


def test_accepting_rules_returns_to_a_local_next_only(client, cast, as_role):
    as_role("outsider")
    url = f"/c/{cast.competition.slug}/rules/accept"
    assert client.post(url, data={"next": "/c/x/p/y"}).location.endswith("/c/x/p/y")
    assert "evil" not in client.post(url, data={"next": "https://evil.test/"}).location


def test_accepting_rules_needs_an_account(client, cast):
    response = client.post(f"/c/{cast.competition.slug}/rules/accept")
    assert "/login" in response.location
