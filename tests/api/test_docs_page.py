"""/api/docs documents every path and method of the OpenAPI document, with examples."""

import html as entities
import re

from openapi_spec_validator import validate


def test_the_document_behind_the_page_is_valid_openapi(client):
    validate(client.get("/api/v1/openapi.json").get_json())


def test_the_page_lists_every_path_and_method(client):
    document = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = set(re.findall(r'data-path="([^"]+)" data-method="(\w+)"', html))
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert shown == documented
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html


def test_the_page_has_curl_and_python_examples_for_this_server(client):
    html = entities.unescape(client.get("/api/docs").get_data(as_text=True))
    assert "curl http://judge.test/api/v1/competitions" in html
    assert 'api = "http://judge.test/api/v1"' in html
    assert "import os, time, requests" in html


def test_the_page_speaks_korean(client):
    html = client.get("/api/docs", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "API 문서" in html


def test_the_footer_and_the_tokens_page_link_to_it(client, make, login):
    assert 'href="/api/docs"' in client.get("/").get_data(as_text=True)
    login(make.user())
    assert 'href="/api/docs"' in client.get("/account/tokens").get_data(as_text=True)
