"""Finalists hand in code and a report; the right people, and only they, download them."""

from __future__ import annotations

import html
import io
from datetime import timedelta

from judge.core.db import unit_of_work, utcnow
from judge.finals import services
from tests.finals.conftest import shortlisted

SLIDES = b"%PDF-1.4 finalist slides of team alpha"


def hand_in(client, slug, finalist, kind, body, name):
    data = {"finalist": str(finalist.id), "kind": kind, "file": (io.BytesIO(body), name)}
    return client.post(f"/c/{slug}/finals/materials", data=data, follow_redirects=True)


def test_a_finalist_hands_in_and_staff_download(client, login, stage):
    alpha = shortlisted(stage)[0]
    slug = stage.competition.slug
    login(stage.leaders["알파"])
    assert "Hand in your code and report" in client.get(f"/c/{slug}").text
    answer = hand_in(client, slug, alpha, "report", SLIDES, "발표자료.pdf")
    assert "발표자료.pdf is handed in." in answer.text
    url = f"/c/{slug}/finals/finalists/{alpha.id}/report"
    for viewer in (stage.organizer, stage.judges["snu"], stage.sponsor, stage.leaders["알파"]):
        login(viewer)
        download = client.get(url)
        assert download.status_code == 200 and download.data == SLIDES
        assert download.headers["Content-Type"] == "application/octet-stream"
    login(stage.leaders["베타"])  # another finalist team
    assert client.get(url).status_code == 404


def test_wrong_types_large_files_and_late_uploads_are_refused(client, login, stage):
    alpha = shortlisted(stage)[0]
    slug = stage.competition.slug
    login(stage.leaders["알파"])
    wrong = hand_in(client, slug, alpha, "code", b"print(1)", "model.py")
    assert "Upload the code as one of: .zip" in wrong.text
    with unit_of_work():
        services.update_settings(stage.competition, stage.organizer, {"max_upload_mb": 1})
    big = hand_in(client, slug, alpha, "report", b"x" * (1024 * 1024 + 1), "big.pdf")
    assert "larger than" in big.text
    with unit_of_work():
        services.update_settings(stage.competition, stage.organizer,
                                 {"uploads_close_at": utcnow() - timedelta(minutes=1)})  # fmt: skip
    late = hand_in(client, slug, alpha, "report", SLIDES, "late.pdf")
    assert "The finalists' uploads are closed." in html.unescape(late.text)
    assert alpha.report_key is None


def test_teams_that_are_not_finalists_have_no_materials_page(client, login, stage):
    shortlisted(stage)
    login(stage.leaders["델타"])
    assert client.get(f"/c/{stage.competition.slug}/finals/materials").status_code == 404
