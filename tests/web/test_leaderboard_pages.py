"""Leaderboard pages: public and private boards, who sees what, divisions, CSV, reveal."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.leaderboard import export, views
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.teams import services as teams
from tests.web.test_submission_pages import XHR, scored, url

PUBLIC, PRIVATE = 0.123456, 0.987654
RIVAL_PUBLIC, RIVAL_PRIVATE = 0.654321, 0.876543
# the private values, however formatted
HIDDEN = ("987654", "0.98765", "0.9877", "876543", "0.8765")
NOT_STAFF = ["anonymous", "outsider", "participant", "rival", "judge"]


def board(cast, problem=None) -> str:
    return f"{url(cast, problem)}/leaderboard"


@pytest.fixture
def scores(cast):
    """Both teams scored once; the private values must stay hidden until the reveal."""
    return (
        scored(cast.problem, cast["participant"], PUBLIC, PRIVATE),
        scored(cast.problem, cast["rival"], RIVAL_PUBLIC, RIVAL_PRIVATE),
    )


def row_of(page: str, team: str) -> str:
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?" + re.escape(team) + r".*?</tr>", page, re.S)
    assert match, f"no row for {team}"
    return match.group(0)


def assert_hidden(text: str) -> None:
    for value in HIDDEN:
        assert value not in text


# --- the public board -------------------------------------------------------------------


@pytest.mark.parametrize("role", [*NOT_STAFF, "sponsor", "organizer"])
def test_public_board_ranks_teams_by_public_score(client, cast, as_role, scores, role):
    as_role(role)
    page = client.get(board(cast)).text
    assert "Public leaderboard" in page
    rival, own = row_of(page, "Rival Team"), row_of(page, "Pia Team")
    assert page.index("Rival Team") < page.index("Pia Team")  # accuracy: higher is better
    assert ">1<" in rival and "0.65432" in rival
    assert ">2<" in own and "0.12346" in own
    assert "대학원" in own  # the division


def test_problem_page_links_to_the_leaderboard(client, cast):
    assert f'href="{board(cast)}"' in client.get(url(cast)).text


def test_empty_board_says_so(client, cast):
    assert "No scored submissions yet." in client.get(board(cast)).text


def test_draft_problem_has_no_public_board(client, cast, as_role):
    as_role("participant")
    assert client.get(board(cast, cast.draft)).status_code == 404


def test_own_team_row_is_highlighted_and_labelled(client, cast, as_role, scores):
    as_role("participant")
    page = client.get(board(cast)).text
    own, rival = row_of(page, "Pia Team"), row_of(page, "Rival Team")
    assert own.startswith('<tr class="mine">') and "your team" in own
    assert "mine" not in rival and "your team" not in rival


def test_division_filter_shows_only_that_divisions_teams(client, cast, make, scores):
    undergrad = make.user(name="Uma Undergrad")
    make.team(cast.competition, undergrad, division=1, name="Undergrad Team")
    scored(cast.problem, undergrad, 0.5, 0.5)
    graduate, undergraduate = cast.competition.divisions
    page = client.get(board(cast)).text
    assert all(name in page for name in ("Pia Team", "Rival Team", "Undergrad Team"))
    page = client.get(f"{board(cast)}?division={undergraduate.id}").text
    assert "Undergrad Team" in page
    assert "Pia Team" not in page and "Rival Team" not in page
    assert re.search(r">1</td>\s*<th scope=\"row\">\s*<a href=\"/teams/\d+\">Undergrad Team", page)
    page = client.get(f"{board(cast)}?division={graduate.id}").text
    assert "Undergrad Team" not in page and "Pia Team" in page
    assert client.get(f"{board(cast)}?division=999999").status_code == 404


# --- the private board: hidden until the reveal -----------------------------------------


@pytest.mark.parametrize("role", NOT_STAFF)
def test_private_scores_never_appear_before_the_reveal(client, cast, as_role, scores, role):
    as_role(role)
    own = scores[0]
    pages = [
        client.get(url(cast)),
        client.get(board(cast)),
        client.get(f"{board(cast)}?board=private"),
        client.get(f"{board(cast)}.csv?board=private"),
        client.get(f"{board(cast)}.csv"),
        client.get(f"{url(cast)}/submissions/{own.id}/status", headers=XHR),
    ]
    for response in pages:
        assert_hidden(response.text)
    assert "Private leaderboard" not in pages[1].text
    assert pages[2].status_code == 403
    assert "The private leaderboard is not revealed yet." in pages[2].text
    assert pages[3].status_code == 403 and pages[4].status_code == 403


def test_private_scores_appear_after_the_reveal(client, cast, as_role, login, scores):
    as_role("organizer")
    page = client.get(board(cast)).text
    assert "Reveal private leaderboard" in page
    assert "hidden until the organizers reveal it" in page
    response = client.post(f"{board(cast)}/reveal", follow_redirects=True)
    assert "The private leaderboard is now shown to everyone." in response.text
    assert "The private leaderboard was revealed at" in response.text
    assert "Reveal private leaderboard" not in response.text
    client.post("/logout")
    login(cast["participant"])
    page = client.get(board(cast)).text
    assert "Private leaderboard" in page
    private = client.get(f"{board(cast)}?board=private").text
    assert "0.98765" in private and "0.87654" in private
    assert "auto-selected" in private  # no team chose its finals
    assert private.index("Pia Team") < private.index("Rival Team")  # 0.987654 beats 0.876543
    own = row_of(private, "Pia Team")
    assert "0.98765" in own and "0.12346" in own  # the final and the public score
    problem_page = client.get(url(cast)).text
    assert "Private score" in problem_page and "0.98765" in problem_page
    assert "0.87654" not in problem_page  # only one's own submissions there


def test_private_board_follows_the_final_selection(client, cast, as_role, login, make):
    problem = make.problem(cast.competition, slug="pick-one", max_final_selections=1)
    scored(problem, cast["participant"], 0.9, 0.1)
    chosen = scored(problem, cast["participant"], 0.5, 0.8)
    as_role("organizer")
    page = client.get(f"{board(cast, problem)}?board=private").text
    assert "0.10000<" in row_of(page, "Pia Team") and "auto-selected" in page
    client.post("/logout")
    login(cast["participant"])
    client.post(f"{url(cast, problem)}/submissions/{chosen.id}/final", data={"selected": "1"})
    client.post("/logout")
    login(cast["organizer"])
    page = client.get(f"{board(cast, problem)}?board=private").text
    own = row_of(page, "Pia Team")
    assert "0.80000<" in own and "auto-selected" not in own


def test_scheduled_reveal_is_announced(client, cast):
    with unit_of_work():
        problems.update_settings(cast.problem, reveal_at=utcnow() + timedelta(days=3))
    assert "The private leaderboard will be revealed at" in client.get(board(cast)).text


# --- staff: CSV downloads and the reveal ------------------------------------------------


@pytest.mark.parametrize("role", ["organizer", "sponsor", "admin"])
def test_organizers_and_the_sponsor_can_download_both_boards(client, cast, as_role, scores, role):
    as_role(role)
    page = client.get(board(cast)).text
    assert "Download CSV (public)" in page and "Download CSV (private)" in page
    assert (
        "Private leaderboard" in page
        and "0.98765" in client.get(f"{board(cast)}?board=private").text
    )
    response = client.get(f"{board(cast)}.csv?board=private")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="visible-private-leaderboard.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["rank", "team", "division", "score"]
    assert [r[1] for r in rows[1:]] == ["Pia Team", "Rival Team"]
    shown = {r[1]: (r[3], r[-1]) for r in rows[1:]}  # raw, then as the board shows it
    assert shown["Pia Team"] == ("0.987654", "0.98765") and rows[0][-1] == "score_display"


def test_the_sponsor_cannot_reveal(client, cast, as_role):
    as_role("sponsor")
    assert "Reveal private leaderboard" not in client.get(board(cast)).text
    assert client.post(f"{board(cast)}/reveal").status_code == 403
    assert not leaderboard.is_revealed(cast.problem, utcnow())


def test_site_admin_reveals_like_an_organizer(client, cast, as_role):
    as_role("admin")
    assert "Reveal private leaderboard" in client.get(board(cast)).text
    assert client.post(f"{board(cast)}/reveal").status_code == 302
    assert leaderboard.is_revealed(cast.problem, utcnow())


@pytest.mark.parametrize("role", ["participant", "other_sponsor", "judge"])
def test_others_see_no_downloads_or_reveal(client, cast, as_role, scores, role):
    as_role(role)
    page = client.get(board(cast)).text
    assert "Download CSV" not in page and "Reveal private leaderboard" not in page
    assert client.get(f"{board(cast)}.csv").status_code == 403
    assert client.post(f"{board(cast)}/reveal").status_code == 403


def test_csv_cells_cannot_run_as_formulas(client, cast, as_role, make):
    name = '=HYPERLINK("http://evil.example","click")'
    leader = make.user(name="Mallory")
    make.team(cast.competition, leader, name=name)
    scored(cast.problem, leader, 0.5, 0.5)
    as_role("organizer")
    page = client.get(board(cast)).text
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click&#34;)" in page  # shown escaped
    response = client.get(f"{board(cast)}.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[1][1] == "'" + name
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_follows_the_division_filter(client, cast, as_role, make, scores):
    undergrad = make.user()
    make.team(cast.competition, undergrad, division=1, name="Undergrad Team")
    scored(cast.problem, undergrad, 0.5, 0.5)
    division = cast.competition.divisions[1]
    as_role("organizer")
    page = client.get(f"{board(cast)}?division={division.id}").text
    assert f".csv?board=public&amp;division={division.id}" in page
    text = client.get(f"{board(cast)}.csv?division={division.id}").text
    assert "Undergrad Team" in text and "Pia Team" not in text


# --- big boards: pages, and the CSV streamed -------------------------------------------


def test_the_board_shows_one_page_and_the_own_teams_page(client, cast, as_role, scores,
                                                         monkeypatch):  # fmt: skip
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    own = teams.team_of(cast["participant"], cast.competition)
    as_role("participant")
    first = client.get(board(cast)).text
    assert "Rival Team" in first and "Pia Team" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    link = f"leaderboard?page=2#team-{own.id}"
    assert f'<a href="{url(cast)}/{link}">Your team is ranked 2, on page 2.</a>' in first
    second = client.get(f"{board(cast)}?page=2").text
    assert "Pia Team" in second and "Rival Team" not in second
    assert f'id="team-{own.id}">2</td>' in second and 'rel="prev"' in second
    assert "Page 2 of 2" in client.get(f"{board(cast)}?page=99").text  # kept within the board


def test_the_csv_streams_in_pieces_with_the_same_content(client, cast, as_role, scores,
                                                         monkeypatch):  # fmt: skip
    monkeypatch.setattr(export, "CHUNK", 1)
    as_role("organizer")
    response = client.get(f"{board(cast)}.csv", buffered=False)
    assert response.is_streamed
    pieces = iter(response.response)
    header = next(pieces).decode()
    assert header == "\ufeffrank,team,division,score,entries,submitted_at,score_display\r\n"
    rest = [piece.decode() for piece in pieces]
    response.close()
    assert [line.split(",")[:4] for line in "".join(rest).splitlines()] == [
        ["1", "Rival Team", "대학원", str(RIVAL_PUBLIC)],
        ["2", "Pia Team", "대학원", str(PUBLIC)],
    ]
    assert rest[0].startswith("1,Rival Team") and rest[1].startswith("2,Pia Team")


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "so the private leaderboard holds nothing hidden"),
    ("ko", "프라이빗 리더보드에 숨겨진 점수는 없으며"),
])  # fmt: skip
def test_a_board_scored_on_all_rows_says_its_private_board_hides_nothing(client, cast, lang,
                                                                         note):  # fmt: skip
    headers = {"Accept-Language": lang}
    assert note not in client.get(board(cast), headers=headers).text  # a split by id hides rows
    with unit_of_work():
        leaderboard.change_settings(cast.problem, cast["organizer"], {"split_method": "all"},
                                    utcnow())  # fmt: skip
    page = client.get(board(cast), headers=headers).text
    assert note in page and "data-reveal-state" in page  # revealed as before
