"""The page's scripts still work under the content security policy, in a real browser.

Headless Chromium, driven over the DevTools protocol, logs in with a real
session cookie, uploads through the problem page's script (progress bar, new
row, message, no page reload), and watches the row turn from queued to
scored when the score arrives; the page must report no content security
policy violation and no script error.
"""

from __future__ import annotations

import shutil

import requests

from judge.core.extensions import db
from judge.submissions.models import Submission
from tests.client.conftest import server  # noqa: F401 (fixture)
from tests.conftest import PASSWORD
from tests.security.cdp import chromium
from tests.submissions.helpers import score, submit

WATCH_PROGRESS = """window.__progress = [];
const bar = document.querySelector('[data-progress]');
new MutationObserver(() => window.__progress.push(bar.hidden ? 'hidden' : 'shown'))
  .observe(bar, {attributes: true}); true"""
NEW_ROW = """(() => { const row = document.querySelector('tr[data-submission][data-pending]');
  return row ? Number(row.getAttribute('data-submission')) : 0; })()"""


def logged_in_cookie(base_url: str, user, app) -> dict:
    answer = requests.post(
        f"{base_url}/login",
        data={"email": user.email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302
    name = app.config["SESSION_COOKIE_NAME"]
    return {"name": name, "value": answer.cookies[name], "url": base_url}


def test_upload_and_live_list_work_under_the_policy(server, make, tmp_path, app):  # noqa: F811
    assert shutil.which("chromium"), "needs chromium (apt-get install chromium)"
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader, name="Browser Team")
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41)))
    page = f"{server}/c/{competition.slug}/p/{problem.slug}"
    with chromium() as browser:
        browser.call("Network.setCookie", **logged_in_cookie(server, leader, app))
        browser.call("Page.navigate", url=page)
        browser.until("the page", "document.readyState === 'complete' && !!document.forms.length")
        browser.js(WATCH_PROGRESS)
        root = browser.call("DOM.getDocument")["root"]["nodeId"]
        field = browser.call("DOM.querySelector", nodeId=root, selector="input[type=file]")
        browser.call("DOM.setFileInputFiles", nodeId=field["nodeId"], files=[str(predictions)])
        browser.js("document.querySelector('form[data-submit-form]').requestSubmit(); true")
        uploaded = browser.until("the new row", NEW_ROW)
        assert browser.js("location.href") == page  # the script uploaded; no post and reload
        assert browser.js("document.querySelector('[data-submit-status]').textContent") == (
            "Uploaded. Your submission waits to be scored."
        )
        assert browser.js("window.__progress")[-2:] == ["shown", "hidden"]
        score(db.session.get(Submission, uploaded), 0.75, 0.5)
        browser.until(
            "the row to turn scored",
            f"document.getElementById('submission-{uploaded}').dataset.status === 'scored'",
        )
        assert browser.problems() == []


def test_charts_draw_under_the_policy(server, make, app):  # noqa: F811
    """Chart.js reads its data from JSON blocks; the canvas is drawn, nothing is blocked."""
    competition = make.competition()
    problem = make.problem(competition)
    sponsor = make.user()
    make.sponsor_member(competition, sponsor)
    for n in range(3):
        leader = make.user()
        make.team(competition, leader)
        score(submit(problem, leader), 0.5 + n / 10, 0.5)
    page = f"{server}/c/{competition.slug}/p/{problem.slug}/dashboard"
    with chromium() as browser:
        browser.call("Network.setCookie", **logged_in_cookie(server, sponsor, app))
        browser.call("Page.navigate", url=page)
        browser.until("the charts", "typeof Chart !== 'undefined' && "
                      "Object.keys(Chart.instances).length === 3")  # fmt: skip
        drawn = browser.js("[...document.querySelectorAll('canvas[data-chart]')]"
                           ".every(c => c.width > 0 && c.height > 0)")  # fmt: skip
        assert drawn
        assert browser.problems() == []
