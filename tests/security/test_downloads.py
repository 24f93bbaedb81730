"""Files go out as attachments that cannot run: safe types, nosniff, sanitized names."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from judge.core.downloads import ascii_fallback, content_disposition

HOSTILE_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def assert_inert(response, expected_type: str) -> None:
    assert response.status_code == 200
    assert response.mimetype == expected_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]


@pytest.fixture
def hostile(world, make):
    """Public files full of script (.html itself is refused at upload), and a Korean name."""
    problem = make.problem(
        world.competition,
        slug="with-files",
        files={
            "x.md": HOSTILE_HTML,
            "x.txt": HOSTILE_HTML,
            "학습 데이터.csv": b"id,x\n1,2\n",
            'q"uote;.csv': b"a\n",
        },
    )
    make.accept_rules(world.competition, world["participant"])
    return problem


def file_id(problem, name: str) -> int:
    return next(f.id for f in problem.files if f.filename == name)


def test_an_html_public_file_is_refused_at_upload(client, world, as_role):
    as_role("sponsor")
    url = f"/c/{world.competition.slug}/p/{world.problem.slug}/files"
    page = client.post(url, data={"file": (io.BytesIO(HOSTILE_HTML), "x.html"), "description": ""})
    assert page.status_code == 200 and "This file type is not accepted" in page.text
    assert [f.filename for f in world.problem.files] == ["train.csv"]


@pytest.mark.parametrize("name", ["x.md", "x.txt"])
def test_public_files_full_of_html_download_as_bytes_on_the_web(
    client, world, as_role, hostile, name
):
    as_role("participant")
    url = f"/c/{world.competition.slug}/p/{hostile.slug}/files/{file_id(hostile, name)}"
    response = client.get(url)
    assert_inert(response, "application/octet-stream")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.data == HOSTILE_HTML


def test_public_files_full_of_html_download_as_bytes_from_the_api(world, hostile, make, client):
    token = make.token(world["participant"])
    response = client.get(
        f"/api/v1/problems/{hostile.id}/files/{file_id(hostile, 'x.md')}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_inert(response, "application/octet-stream")


def test_korean_names_arrive_intact_with_an_ascii_fallback(client, world, as_role, hostile):
    as_role("participant")
    name = "학습 데이터.csv"
    url = f"/c/{world.competition.slug}/p/{hostile.slug}/files/{file_id(hostile, name)}"
    response = client.get(url)
    assert_inert(response, "text/csv")
    header = response.headers["Content-Disposition"]
    assert header == f"attachment; filename=\"download.csv\"; filename*=UTF-8''{quote(name)}"


def test_quotes_and_semicolons_cannot_break_the_header(client, world, as_role, hostile):
    as_role("participant")
    name = 'q"uote;.csv'
    url = f"/c/{world.competition.slug}/p/{hostile.slug}/files/{file_id(hostile, name)}"
    header = client.get(url).headers["Content-Disposition"]
    assert header == "attachment; filename=\"q_uote_.csv\"; filename*=UTF-8''q%22uote%3B.csv"


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("train.csv", "train.csv"),
        ("x.html", "x.html"),
        ("결과.zip", "download.zip"),
        ("데이터_v2.csv", "v2.csv"),
        ("../../etc/passwd", "etc_passwd"),
        ("a\r\nSet-Cookie: x=1.csv", "a_Set-Cookie_x_1.csv"),
        ("", "download"),
    ],
)
def test_ascii_fallbacks(name, fallback):
    assert ascii_fallback(name) == fallback
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_a_team_downloads_its_own_submission_file_as_an_attachment(client, world, as_role):
    as_role("participant")
    slug, problem = world.competition.slug, world.problem.slug
    response = client.get(f"/c/{slug}/p/{problem}/submissions/{world.sub_a.id}/file")
    assert_inert(response, "text/csv")
    assert b"pia-only-content" in response.data
    page = client.get(f"/c/{slug}/p/{problem}").text
    assert f"/submissions/{world.sub_a.id}/file" in page  # linked from the team's list
    assert f"/submissions/{world.sub_b.id}/file" not in page


def test_a_submission_full_of_html_downloads_as_bytes(client, world, as_role, make):
    from tests.submissions.helpers import submit

    submission = submit(world.problem, world["participant"], HOSTILE_HTML, "page.txt")
    as_role("participant")
    url = f"/c/{world.competition.slug}/p/{world.problem.slug}/submissions/{submission.id}/file"
    assert_inert(client.get(url), "application/octet-stream")


def test_exports_are_csv_attachments(client, world, as_role):
    as_role("organizer")
    response = client.get(f"/c/{world.competition.slug}/p/{world.problem.slug}/leaderboard.csv")
    assert_inert(response, "text/csv")
