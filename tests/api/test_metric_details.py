"""A detection problem's AP per class: the team sees its public split's (on its row and in
the API's submission answers), the private split's — values and class names — only once the
private board is revealed; the organizers and the sponsor see both all along."""

from __future__ import annotations

import re

import pytest

from tests.submissions.helpers import scored

BOXES = "id,PredictionString\n" + "".join(
    f"img{i},{'car' if i % 3 else 'bus'} {i} 0 10 10\n" for i in range(40)
)
# As the engine gives them: each split's classes come from its own rows of the solution; the
# private split holds a class the public rows do not ("hiddenbus") and a value no page may
# show before the reveal.
DETAILS = {"public": {"car": 0.123456789, "truck": 0.5},
           "private": {"car": 0.987654321, "hiddenbus": 0.4444444}}  # fmt: skip
SECRETS = ("hiddenbus", "0.98765", "0.44444")
PUBLIC_ROWS = [("car", "0.12346"), ("truck", "0.50000")]  # as the page shows them
PRIVATE_ROWS = [("car", "0.98765"), ("hiddenbus", "0.44444")]
KO = {"Accept-Language": "ko"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def world(make):
    competition = make.competition()
    problem = make.problem(competition, solution=BOXES, metric="map_50", daily_limit=None)
    assert problem.score_decimals == 5
    leader, sponsor = make.user(), make.user()
    make.team(competition, leader, name="Ours")
    make.sponsor_member(competition, sponsor)
    submission = scored(problem, leader, 0.3117, 0.7161, details=DETAILS)
    people = {"leader": leader, "sponsor": sponsor, "organizer": competition.roles[0].user}
    return problem, submission, people


def page(client, login, problem, user, headers=EN) -> str:
    login(user)
    return client.get(f"/c/{problem.competition.slug}/p/{problem.slug}", headers=headers).text


def row_details(html: str) -> dict[str, list[tuple[str, str]]]:
    """Each <details data-details=split> of the page: its (class, value) rows."""
    found = {}
    for split, body in re.findall(r'data-details="(\w+)">(.*?)</details>', html, re.S):
        found[split] = re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>',
                                  body)  # fmt: skip
    return found


def test_the_team_sees_its_public_ap_per_class_and_nothing_private_before_the_reveal(
    api, client, login, world
):
    problem, submission, people = world
    leader = people["leader"]
    html = page(client, login, problem, leader)
    answer = api.get(f"/submissions/{submission.id}", as_=leader).json
    assert answer["public_details"] == {"car": 0.12346, "truck": 0.5}  # the board's 5 decimals
    assert "private_details" not in answer and "private_score" not in answer
    texts = [
        api.get(f"/submissions/{submission.id}", as_=leader).text,
        api.get(f"/problems/{problem.id}/submissions", as_=leader).text,
        api.get(f"/problems/{problem.id}/leaderboard", as_=leader).text,
        api.post(f"/submissions/{submission.id}/final", as_=leader).text,
        client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/submissions/"
                   f"{submission.id}/status", headers={"Accept": "application/json"}).text,
    ]  # fmt: skip
    assert row_details(html) == {"public": PUBLIC_ROWS}
    assert "AP per class" in html
    status = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/submissions/"
                        f"{submission.id}/status").json  # fmt: skip
    assert row_details(status["row_html"]) == row_details(html)
    leaks = [(secret, n) for n, text in enumerate([*texts, html, status["row_html"]])
             for secret in SECRETS if secret in text]  # fmt: skip
    assert leaks == []


def test_after_the_reveal_the_team_sees_the_private_ap_per_class_too(api, client, login, world):
    problem, submission, people = world
    organizer = people["organizer"]
    assert api.post(f"/problems/{problem.id}/reveal", as_=organizer).status_code == 200
    answer = api.get(f"/submissions/{submission.id}", as_=people["leader"]).json
    assert answer["public_details"] == {"car": 0.12346, "truck": 0.5}
    assert answer["private_details"] == {"car": 0.98765, "hiddenbus": 0.44444}
    listed = api.get(f"/problems/{problem.id}/submissions", as_=people["leader"]).json
    assert listed[0]["private_details"] == answer["private_details"]
    html = page(client, login, problem, people["leader"], KO)
    assert row_details(html) == {"public": PUBLIC_ROWS, "private": PRIVATE_ROWS}
    assert "클래스별 AP" in html and "AP per class" not in html


@pytest.mark.parametrize("role", ["organizer", "sponsor"])
def test_the_organizers_and_the_sponsor_see_both_splits_before_the_reveal(api, client, login,
                                                                          world, role):  # fmt: skip
    problem, submission, people = world
    staff = api.get(f"/problems/{problem.id}/all-submissions", as_=people[role]).json
    assert staff[0]["public_details"] == {"car": 0.12346, "truck": 0.5}
    assert staff[0]["private_details"] == {"car": 0.98765, "hiddenbus": 0.44444}
    login(people[role])
    log = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/all-submissions/"
                     f"{submission.id}", headers=EN).text  # fmt: skip
    assert row_details(log) == {"public": PUBLIC_ROWS, "private": PRIVATE_ROWS}


def test_other_metrics_show_no_details(api, make, world):
    problem, _, people = world
    other = make.problem(problem.competition, daily_limit=None)  # accuracy
    submission = scored(other, people["leader"], 0.5, 0.5, details=DETAILS)
    answer = api.get(f"/submissions/{submission.id}", as_=people["organizer"]).json
    assert answer["public_details"] is None and answer["private_details"] is None
