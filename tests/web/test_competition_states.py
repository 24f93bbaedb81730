"""Draft, published, archived: who sees a competition, who publishes, archives and restores
it, and what an archived competition refuses."""

import io

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.competitions.models import CompetitionState
from judge.core.db import unit_of_work
from judge.core.extensions import db


def _make_draft(cast):
    with unit_of_work():
        cast.competition.state = CompetitionState.DRAFT
    return cast


@pytest.fixture
def draft_cast(cast):
    return _make_draft(cast)


def _pages(cast):
    slug, problem = cast.competition.slug, cast.problem
    return [
        f"/c/{slug}",
        f"/c/{slug}/p/{problem.slug}",
        f"/c/{slug}/p/{problem.slug}/leaderboard",
        f"/c/{slug}/questions",
        f"/c/{slug}/results",
        f"/api/v1/competitions/{slug}",
        f"/api/v1/competitions/{slug}/problems",
        f"/api/v1/competitions/{slug}/teams",
        f"/api/v1/competitions/{slug}/notices",
        f"/api/v1/problems/{problem.id}",
        f"/api/v1/problems/{problem.id}/leaderboard",
    ]


def _get(client, make, path, user):
    headers = {"Authorization": f"Bearer {make.token(user)}"} if user and "/api/" in path else {}
    return client.get(path, headers=headers)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "participant"])
def test_a_draft_is_not_found_by_anyone_but_its_staff(client, make, draft_cast, as_role, role):
    user = as_role(role)
    for path in _pages(draft_cast):
        assert _get(client, make, path, user).status_code == 404, path
    home = client.get("/").text
    assert draft_cast.competition.title not in home
    assert draft_cast.competition.slug not in client.get("/api/v1/competitions").text


@pytest.mark.parametrize("role", ["judge", "sponsor", "organizer", "admin"])
def test_the_staff_see_their_draft_and_find_it_on_the_home_page(
    client, make, draft_cast, as_role, role
):
    user = as_role(role)
    assert client.get(f"/c/{draft_cast.competition.slug}").status_code == 200
    token = {"Authorization": f"Bearer {make.token(user)}"}
    listed = client.get("/api/v1/competitions", headers=token).json
    assert [(c["slug"], c["state"]) for c in listed] == [(draft_cast.competition.slug, "draft")]
    home = client.get("/", headers={"Accept-Language": "en"}).text
    assert "Drafts you run" in home and draft_cast.competition.title in home


def test_an_organizer_publishes_after_a_confirm_page_and_it_is_audited(client, draft_cast, as_role):
    as_role("organizer")
    slug = draft_cast.competition.slug
    console = client.get(f"/c/{slug}/manage", headers={"Accept-Language": "en"}).text
    assert "Only the staff of this competition see it" in console
    page = client.get(f"/c/{slug}/manage/publish", headers={"Accept-Language": "en"}).text
    assert "with its 1 published problems" in page and "cannot become a draft again" in page
    assert draft_cast.competition.state == CompetitionState.DRAFT  # asking changed nothing
    response = client.post(f"/c/{slug}/manage/publish", headers={"Accept-Language": "en"},
                           follow_redirects=True)  # fmt: skip
    assert "is published" in response.text
    client.post("/logout")
    assert draft_cast.competition.title in client.get("/").text
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="competition_published"))
    assert (entry.before, entry.after) == ({"state": "draft"}, {"state": "published"})
    assert entry.actor_id == draft_cast["organizer"].id


@pytest.mark.parametrize("role", ["judge", "sponsor"])
def test_only_organizers_publish(client, draft_cast, as_role, role):
    as_role(role)
    assert client.post(f"/c/{draft_cast.competition.slug}/manage/publish").status_code == 403
    assert draft_cast.competition.state == CompetitionState.DRAFT


def test_publishing_over_the_api(client, make, draft_cast):
    slug = draft_cast.competition.slug
    judge = {"Authorization": f"Bearer {make.token(draft_cast['judge'])}"}
    organizer = {"Authorization": f"Bearer {make.token(draft_cast['organizer'])}"}
    assert client.post(f"/api/v1/competitions/{slug}/publish", headers=judge).status_code == 403
    assert client.post(f"/api/v1/competitions/{slug}/publish").status_code == 404
    response = client.post(f"/api/v1/competitions/{slug}/publish", headers=organizer)
    assert (response.status_code, response.json["state"]) == (200, "published")
    again = client.post(f"/api/v1/competitions/{slug}/publish", headers=organizer)
    assert again.status_code == 409
    assert [c["slug"] for c in client.get("/api/v1/competitions").json] == [slug]


def test_a_new_competition_on_the_web_starts_as_a_draft(client, make, login):
    admin = make.user(admin=True)
    login(admin)
    form = {"slug": "new-one", "title": "Brand New", "timezone": "Asia/Seoul",
            "max_team_size": "3", "divisions": "Open"}  # fmt: skip
    response = client.post("/competitions/new", data=form)
    assert response.status_code == 302, response.text
    client.post("/logout")
    assert "Brand New" not in client.get("/").text
    assert client.get("/c/new-one").status_code == 404


def _upload(client, make, problem, user):
    data = {"file": (io.BytesIO(b"id,label\n1,0\n"), "pred.csv")}
    headers = {"Authorization": f"Bearer {make.token(user)}", "Accept-Language": "en"}
    return client.post(f"/api/v1/problems/{problem.id}/submissions", headers=headers, data=data)


def test_admin_archives_then_restores_with_confirm_pages(client, make, cast, login):
    slug, title = cast.competition.slug, cast.competition.title
    login(cast["admin"])
    console = client.get("/admin/competitions", headers={"Accept-Language": "en"}).text
    assert title in console and f"/admin/competitions/{slug}/archive" in console
    page = client.get(f"/admin/competitions/{slug}/archive", headers={"Accept-Language": "en"})
    assert "Its 2 teams can no longer be joined" in page.text
    assert cast.competition.state == CompetitionState.PUBLISHED
    done = client.post(f"/admin/competitions/{slug}/archive", follow_redirects=True)
    assert f"“{title}” is archived." in done.text
    assert cast.competition.state == CompetitionState.ARCHIVED
    client.post("/logout")
    assert title not in client.get("/").text
    assert client.get(f"/c/{slug}").status_code == 200  # still readable by its address
    refused = _upload(client, make, cast.problem, cast["participant"])
    assert refused.status_code == 403
    assert "archived" in refused.json["error"]["message"]
    login(cast["admin"])
    client.post(f"/admin/competitions/{slug}/restore")
    assert cast.competition.state == CompetitionState.PUBLISHED
    assert _upload(client, make, cast.problem, cast["participant"]).status_code == 202
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action.like("competition_%")).order_by(AuditEntry.id))  # fmt: skip
    assert list(actions) == ["competition_archived", "competition_restored"]


def test_nobody_joins_an_archived_competition(client, make, cast, login):
    with unit_of_work():
        cast.competition.state = CompetitionState.ARCHIVED
    newcomer = make.user()
    make.accept_rules(cast.competition, newcomer)
    login(newcomer)
    response = client.post(f"/c/{cast.competition.slug}/team/join",
                           data={"code": cast.team.invite_code},
                           headers={"Accept-Language": "ko"}, follow_redirects=True)  # fmt: skip
    assert "보관" in response.text
    assert len(cast.team.memberships) == 1


@pytest.mark.parametrize("role", ["organizer", "participant"])
def test_the_admin_pages_are_not_there_for_others(client, cast, as_role, role):
    as_role(role)
    slug = cast.competition.slug
    for path in ("/admin/competitions", f"/admin/competitions/{slug}/archive", "/admin/audit"):
        assert client.get(path).status_code == 404
    assert client.post(f"/admin/competitions/{slug}/archive").status_code == 404
    assert cast.competition.state == CompetitionState.PUBLISHED


def test_the_site_wide_audit_view_filters_and_shows_before_and_after(client, make, cast, login):
    other = make.competition(title="Another Challenge")
    admin = cast["admin"]
    login(admin)
    client.post(f"/admin/competitions/{cast.competition.slug}/archive")
    client.post(f"/admin/competitions/{other.slug}/archive")
    en = {"Accept-Language": "en"}
    everything = client.get("/admin/audit", headers=en).text
    assert everything.count('data-action="competition_archived"') == 2
    assert "state: published" in everything and "state: archived" in everything
    one = client.get(f"/admin/audit?competition={other.slug}", headers=en).text
    assert one.count('data-action="competition_archived"') == 1
    assert "Another Challenge" in one
    by_actor = client.get("/admin/audit?actor=nobody-such", headers=en).text
    assert "Nothing recorded yet." in by_actor
    by_name = client.get(f"/admin/audit?actor={admin.name}&action=competition_archived",
                         headers=en).text  # fmt: skip
    assert by_name.count('data-action="competition_archived"') == 2


def test_an_archived_competition_takes_no_questions_and_its_teams_cancel_nothing(
    client, cast, as_role
):
    from judge.submissions.models import Status
    from tests.submissions.helpers import submit

    queued = submit(cast.problem, cast["participant"])
    with unit_of_work():
        cast.competition.state = CompetitionState.ARCHIVED
    slug, base = cast.competition.slug, f"/c/{cast.competition.slug}/p/{cast.problem.slug}"
    as_role("participant")
    page = client.get(f"/c/{slug}/questions", headers={"Accept-Language": "ko"}).text
    assert 'action="/c/' + slug + '/questions"' not in page and "보관" in page
    asked = client.post(f"/c/{slug}/questions", data={"title": "Still open?", "body": "?"},
                        follow_redirects=True)  # fmt: skip
    assert "This competition is archived: it no longer takes questions." in asked.text
    refused = client.post(f"{base}/submissions/{queued.id}/cancel", follow_redirects=True)
    assert "This competition is archived" in refused.text
    db.session.refresh(queued)
    assert queued.status == Status.QUEUED
    as_role("organizer")  # the staff still clear the queue of an archived competition
    client.post(f"{base}/all-submissions/{queued.id}/cancel")
    db.session.refresh(queued)
    assert queued.status == Status.CANCELLED


def test_the_admin_list_counts_each_competitions_own_teams_and_problems(client, make, login):
    admin = make.user(admin=True)
    busy, quiet, empty = (make.competition(admin) for _ in range(3))
    for _ in range(3):
        make.team(busy)
    make.team(quiet)
    make.problem(busy), make.problem(busy, publish=False), make.problem(quiet)
    login(admin)
    page = client.get("/admin/competitions").text
    row = {c.slug: page.split(f'data-slug="{c.slug}"', 1)[1].split("</tr>", 1)[0]
           for c in (busy, quiet, empty)}  # fmt: skip
    cells = {slug: [td.split("</td>")[0] for td in html.split("<td>")[2:4]]
             for slug, html in row.items()}  # fmt: skip
    assert cells == {busy.slug: ["3", "2"], quiet.slug: ["1", "1"], empty.slug: ["0", "0"]}
