"""Problem pages: creating, managing, publishing, and who may download what."""

from __future__ import annotations

import io

import pytest

from judge.problems.models import Problem, ProblemFile
from tests.web.conftest import SECRET_SOLUTION, blobs, count

NOT_MANAGERS = ["outsider", "participant", "rival", "judge", "other_sponsor"]
MANAGERS = ["sponsor", "organizer", "admin"]


def base(cast) -> str:
    return f"/c/{cast.competition.slug}"


def new_problem(cast, solution: bytes = SECRET_SOLUTION.encode(), **changes) -> dict:
    return {
        "slug": "new-task",
        "title": "New Task",
        "sponsor_id": str(cast.competition.sponsors[0].id),
        "description": "Predict the label.",
        "metric": "accuracy",
        "id_column": "id",
        "split_method": "fraction",
        "public_fraction": "0.3",
        "daily_limit": "5",
        "min_interval_seconds": "0",
        "max_final_selections": "2",
        "solution": (io.BytesIO(solution), "solution.csv"),
    } | changes


def post_problem(client, cast, **kwargs):
    return client.post(f"{base(cast)}/problems/new", data=new_problem(cast, **kwargs))


# --- creating ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organizer", "admin", "sponsor"])
def test_managers_create_a_draft_problem(client, cast, as_role, role):
    as_role(role)
    response = post_problem(client, cast)
    assert response.location.endswith(f"{base(cast)}/p/new-task/manage")
    problem = Problem.query.filter_by(slug="new-task").one()
    assert not problem.is_published and problem.solution.rows == 40


@pytest.mark.parametrize(("lang", "option", "rows"), [
    ("en", "Every row on both boards (the private board equals the public one)",
     "40 in all, each scoring both the public and the private leaderboard"),
    ("ko", "모든 행을 두 리더보드에 사용(프라이빗 리더보드가 퍼블릭과 같음)",
     "전체 40행, 모든 행이 퍼블릭과 프라이빗 리더보드를 함께 채점"),
])  # fmt: skip
def test_a_problem_may_score_every_row_on_both_boards(client, cast, as_role, lang, option, rows):
    as_role("organizer")
    headers = {"Accept-Language": lang}
    form = client.get(f"{base(cast)}/problems/new", headers=headers).text
    assert 'value="all"' in form and option in form
    response = client.post(f"{base(cast)}/problems/new", headers=headers,
                           data=new_problem(cast, split_method="all"))  # fmt: skip
    problem = Problem.query.filter_by(slug="new-task").one()
    assert (problem.split_method.value, problem.public_fraction) == ("all", None)
    assert (problem.solution.public_rows, problem.solution.private_rows) == (40, 40)
    assert rows in client.get(response.location, headers=headers).text


@pytest.mark.parametrize(("role", "next_step"), [
    ("organizer", "then publish it."),
    ("admin", "then publish it."),
    ("sponsor", "then submit it for review: an organizer publishes it."),
])  # fmt: skip
def test_the_creator_is_told_the_next_step_it_may_take(client, cast, as_role, role, next_step):
    as_role(role)
    page = client.get(post_problem(client, cast).location).text
    assert f"The problem is created as a draft. Add its data files, {next_step}" in page


@pytest.mark.parametrize("role", ["outsider", "participant", "judge"])
def test_others_cannot_create_problems(client, cast, as_role, role):
    as_role(role)
    assert client.get(f"{base(cast)}/problems/new").status_code == 403
    assert post_problem(client, cast).status_code == 403
    assert count(Problem) == 2


def test_sponsor_member_only_picks_their_own_sponsor(client, cast, as_role):
    as_role("sponsor")
    page = client.get(f"{base(cast)}/problems/new").text
    assert "Other Sponsor" not in page
    response = post_problem(client, cast, sponsor_id=str(cast.competition.sponsors[1].id))
    assert 'class="field has-error"' in response.text
    assert count(Problem) == 2


def test_window_dates_are_read_in_the_competition_timezone(client, cast, as_role):
    as_role("organizer")
    post_problem(client, cast, opens_at="2026-03-02T09:00", closes_at="2026-03-03T09:00")
    problem = Problem.query.filter_by(slug="new-task").one()
    assert problem.opens_at.isoformat() == "2026-03-02T00:00:00+00:00"


@pytest.mark.parametrize(
    ("solution", "message"),
    [
        (b"row,label\n1,a\n2,b\n", "The solution has no id column named"),
        (b"id,label\n1,a\n1,b\n2,a\n", "The id column has 1 duplicated ids"),
        ("id,label\n1,한\n2,글\n".encode("cp949"), "The file is not UTF-8 text"),
        (b"id\n1\n2\n", "The solution has no answer column besides the id."),
    ],
)
def test_bad_solution_shows_a_message_and_leaves_nothing(client, cast, as_role, solution, message):
    as_role("organizer")
    before = blobs()
    response = post_problem(client, cast, solution=solution)
    assert message in response.text
    assert count(Problem) == 2
    assert blobs() == before


def test_missing_solution_is_required(client, cast, as_role):
    as_role("organizer")
    data = new_problem(cast)
    del data["solution"]
    response = client.post(f"{base(cast)}/problems/new", data=data)
    assert 'class="field has-error"' in response.text
    assert count(Problem) == 2


def test_duplicate_problem_slug_is_refused(client, cast, as_role):
    as_role("organizer")
    before = blobs()
    response = post_problem(client, cast, slug="visible", solution=b"id,label\n9,x\n8,y\n7,z\n")
    assert "already has a problem with that short name" in response.text
    assert count(Problem) == 2
    assert blobs() == before


# --- seeing -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, *MANAGERS])
def test_published_problem_page_shows_metric_and_limits(client, cast, as_role, role):
    as_role(role)
    page = client.get(f"{base(cast)}/p/visible").text
    assert "Accuracy" in page and "higher is better" in page
    assert "Final submissions to select</dt><dd>2</dd>" in page
    assert "secret-" not in page


def test_lower_is_better_metric_says_so(client, make):
    competition = make.competition()
    solution = "id,y\n" + "".join(f"{i},{i}.5\n" for i in range(1, 41))
    make.problem(competition, slug="errors", metric="rmse", solution=solution)
    assert "lower is better" in client.get(f"/c/{competition.slug}/p/errors").text


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS])
def test_draft_is_404_for_non_managers(client, cast, as_role, role):
    as_role(role)
    assert client.get(f"{base(cast)}/p/hidden-draft").status_code == 404


@pytest.mark.parametrize("role", MANAGERS)
def test_draft_is_visible_to_its_managers(client, cast, as_role, role):
    as_role(role)
    page = client.get(f"{base(cast)}/p/hidden-draft").text
    assert "Secret Draft" in page and "draft" in page


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_open_the_manage_page(client, cast, as_role, role):
    as_role(role)
    page = client.get(f"{base(cast)}/p/visible/manage").text
    assert "Replace solution" in page and "40 in all" in page


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_manage_page_is_403_for_published_and_404_for_drafts(client, cast, as_role, role):
    as_role(role)
    assert client.get(f"{base(cast)}/p/visible/manage").status_code == 403
    assert client.get(f"{base(cast)}/p/hidden-draft/manage").status_code == 404


# --- downloads --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS])
def test_solution_download_is_refused_to_non_managers(client, cast, as_role, role):
    as_role(role)
    for slug, status in (("visible", 403), ("hidden-draft", 404)):
        response = client.get(f"{base(cast)}/p/{slug}/solution")
        assert response.status_code == status
        assert b"secret-" not in response.data


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_download_the_solution(client, cast, as_role, role):
    as_role(role)
    response = client.get(f"{base(cast)}/p/visible/solution")
    assert response.status_code == 200
    assert response.data == SECRET_SOLUTION.encode()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_problem_page_offers_no_solution_link_to_non_managers(client, cast, as_role, role):
    as_role(role)
    assert "/p/visible/solution" not in client.get(f"{base(cast)}/p/visible").text


def file_url(cast) -> str:
    return f"{base(cast)}/p/visible/files/{cast.problem.files[0].id}"


def test_public_file_is_refused_before_accepting_rules_and_served_after(client, cast, as_role):
    as_role("outsider")
    refused = client.get(file_url(cast))
    assert refused.status_code == 302 and b"id,x,label" not in refused.data
    assert (
        "Accept the competition rules to download the data."
        in client.get(f"{base(cast)}/p/visible").text
    )
    client.post(f"{base(cast)}/rules/accept")
    served = client.get(file_url(cast))
    assert served.status_code == 200 and served.data == b"id,x,label\n1,0.5,1\n"


def test_anonymous_cannot_download_public_files(client, cast):
    response = client.get(file_url(cast))
    assert response.status_code == 302 and b"id,x,label" not in response.data


@pytest.mark.parametrize("role", ["participant", "judge", "sponsor", "other_sponsor", "organizer"])
def test_participants_who_accepted_and_staff_download_public_files(client, cast, as_role, role):
    as_role(role)
    assert client.get(file_url(cast)).status_code == 200


def test_public_files_of_a_draft_are_404_for_participants(client, cast, as_role):
    as_role("participant")
    url = f"{base(cast)}/p/hidden-draft/files/{cast.draft.files[0].id}"
    assert client.get(url).status_code == 404


def test_file_of_another_problem_is_404(client, cast, as_role):
    as_role("participant")
    url = f"{base(cast)}/p/visible/files/{cast.draft.files[0].id}"
    assert client.get(url).status_code == 404


# --- managing ---------------------------------------------------------------------------


def upload(client, cast, name: str, content: bytes = b"a,b\n1,2\n"):
    data = {"file": (io.BytesIO(content), name), "description": "Test inputs"}
    return client.post(f"{base(cast)}/p/visible/files", data=data)


def test_manager_uploads_and_removes_a_public_file(client, cast, as_role):
    as_role("sponsor")
    assert upload(client, cast, "test.csv").status_code == 302
    item = ProblemFile.query.filter_by(filename="test.csv").one()
    assert "Test inputs" in client.get(f"{base(cast)}/p/visible").text
    client.post(f"{base(cast)}/p/visible/files/{item.id}/remove")
    assert ProblemFile.query.filter_by(filename="test.csv").first() is None


def test_wrong_public_file_type_shows_a_message_and_leaves_nothing(client, cast, as_role):
    as_role("organizer")
    before_rows, before_blobs = count(ProblemFile), blobs()
    response = upload(client, cast, "tool.exe", b"MZ\x90\x00unique-bytes")
    assert "This file type is not accepted." in response.text
    assert count(ProblemFile) == before_rows
    assert blobs() == before_blobs


def test_duplicate_public_file_name_is_refused(client, cast, as_role):
    as_role("organizer")
    response = upload(client, cast, "train.csv", b"fresh,content\n")
    assert "already has a file named train.csv" in response.text


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_non_managers_cannot_upload_files(client, cast, as_role, role):
    as_role(role)
    assert upload(client, cast, "test.csv").status_code == 403
    assert count(ProblemFile) == 2


def test_bad_replacement_solution_keeps_the_old_one(client, cast, as_role):
    as_role("organizer")
    before = blobs()
    data = {"solution": (io.BytesIO(b"id,label\n1,a\n1,a\n"), "new.csv")}
    response = client.post(f"{base(cast)}/p/visible/solution", data=data)
    assert "duplicated ids" in response.text
    assert cast.problem.solution.filename == "solution.csv"
    assert blobs() == before


def test_replacement_solution_is_kept(client, cast, as_role):
    as_role("organizer")
    content = "id,label\n" + "".join(f"{i},{i % 3}\n" for i in range(1, 61))
    data = {"solution": (io.BytesIO(content.encode()), "v2.csv")}
    asked = client.post(f"{base(cast)}/p/visible/solution", data=data)
    assert cast.problem.solution.rows == 40  # not before it is confirmed
    assert client.post(asked.headers["Location"], data={"choice": "only"}).status_code == 302
    assert cast.problem.solution.rows == 60


def test_publish_and_unpublish(client, cast, as_role, login):
    as_role("sponsor")
    refused = client.post(f"{base(cast)}/p/visible/unpublish", follow_redirects=True)
    assert "published by the organizers: submit it for review" in refused.text
    assert cast.problem.is_published  # publication is the organizers'
    login(cast["organizer"])
    client.post(f"{base(cast)}/p/hidden-draft/publish")
    assert cast.draft.is_published
    client.post(f"{base(cast)}/p/visible/unpublish")
    login(cast["participant"])
    assert client.get(f"{base(cast)}/p/visible").status_code == 404
    assert client.get(f"{base(cast)}/p/hidden-draft").status_code == 200


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_non_managers_cannot_publish_or_unpublish(client, cast, as_role, role):
    as_role(role)
    assert client.post(f"{base(cast)}/p/hidden-draft/publish").status_code == 404
    assert client.post(f"{base(cast)}/p/visible/unpublish").status_code == 403
    assert cast.problem.is_published and not cast.draft.is_published


def test_too_large_public_file_is_refused_and_leaves_nothing(app, client, cast, as_role):
    app.config["MAX_PUBLIC_FILE_BYTES"] = 10
    as_role("organizer")
    before = blobs()
    response = upload(client, cast, "big.csv", b"x" * 11)
    assert "larger than the limit" in response.text
    assert count(ProblemFile) == 2
    assert blobs() == before
