"""A Host header that is not the site's own is never reflected: not in a redirect, not in a link.

An attacker who sends ``Host: evil.example`` (directly, or through a cache or a proxy that
passes it on) must not get back a ``Location`` or a page that points people at evil.example.
The site answers to its public URL's name, the loopback names and the names an operator
adds in ``TRUSTED_HOSTS``; any other name gets a 400 that names the right address.
"""

from __future__ import annotations

import pytest

from judge import create_app
from tests.conftest import PASSWORD, IsolatedClient, _config

EVIL = "evil.example"


def redirecting_paths(make) -> list[str]:
    """Addresses that answer with a redirect: doubled slashes (308), login required (302)."""
    competition = make.competition()
    problem = make.problem(competition)
    return ["/api//v1/openapi.json", f"/c/{competition.slug}//p/{problem.slug}", "/account",
            "/login?next=/account"]  # fmt: skip


def test_a_foreign_host_is_refused_and_never_reflected(client, make):
    for path in redirecting_paths(make):
        response = client.get(path, headers={"Host": EVIL})
        assert EVIL not in response.headers.get("Location", ""), path
        assert EVIL not in response.text, path
        assert response.status_code == 400, path
        assert "This site is not served at this address" in response.text
        assert "http://127.0.0.1:8000/" in response.text  # where to go instead


def test_the_refusal_speaks_korean_and_json_under_the_api(client):
    page = client.get("/account?lang=ko", headers={"Host": EVIL})
    assert page.status_code == 400 and "이 주소에서는 사이트를 제공하지 않습니다" in page.text
    api = client.get("/api//v1/competitions", headers={"Host": EVIL})
    assert api.status_code == 400 and EVIL not in api.text
    assert api.get_json()["error"]["code"] == "untrusted_host"


def test_logging_in_through_a_foreign_host_sends_nobody_there(client, make):
    user = make.user()
    response = client.post("/login?next=/account", headers={"Host": EVIL},
                           data={"email": user.email, "password": PASSWORD})  # fmt: skip
    assert response.status_code == 400 and EVIL not in response.headers.get("Location", "")


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/%5Cevil.example"])
def test_login_next_cannot_leave_the_site(client, make, target):
    """Browsers read a backslash in a Location as a slash: /\\evil.example is //evil.example."""
    user = make.user()
    response = client.post(f"/login?next={target}",
                           data={"email": user.email, "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert EVIL not in response.headers["Location"].replace("%5C", "\\")


@pytest.fixture
def site(tmp_path, database_url, redis_broker, monkeypatch):
    """A site at https://judge.example.org/ that also answers as web.internal and lb.internal."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("JUDGE_TRUSTED_HOSTS", "web.internal, lb.internal")
    config = _config(tmp_path, database_url, redis_broker)
    config.update(PUBLIC_URL="https://judge.example.org/", SERVER_NAME=None)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    "host",
    ["judge.example.org", "JUDGE.example.org:443", "web.internal:8000", "lb.internal",
     "localhost:5000", "127.0.0.1:8000"],
)  # fmt: skip
def test_the_sites_own_names_are_served(site, host):
    client = site.test_client()
    response = client.get("/api//v1/openapi.json", headers={"Host": host})
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"{host.lower()}/api/v1/openapi.json")


@pytest.mark.parametrize("host", [EVIL, "judge.example.org.evil.example", "web.internal.evil"])
def test_names_that_only_look_like_the_sites_are_refused(site, host):
    response = site.test_client().get("/api//v1/openapi.json", headers={"Host": host})
    assert response.status_code == 400 and host not in response.text
    assert "https://judge.example.org/" in response.get_json()["error"]["message"]
