"""The API documentation renders in a real browser: reached from the footer, every endpoint
listed, the examples shown, and nothing refused by the site's Content-Security-Policy."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_footer_leads_to_the_api_documentation(visitor, say):
    person = visitor()
    refused: list[str] = []
    person.page.on("console", lambda message: refused.append(message.text))
    page = person.go("/")
    page.get_by_role("link", name=say("API documentation")).click()
    expect(page.get_by_role("heading", name=say("API documentation"), level=1)).to_be_visible()
    document = page.request.get(person.site.url + "/api/v1/openapi.json").json()
    operations = sum(
        1 for item in document["paths"].values() for method in item if method != "parameters"
    )
    expect(page.locator("[data-path]")).to_have_count(operations)
    expect(page.locator("pre code").first).to_contain_text("curl " + person.site.url)
    assert not [text for text in refused if "Content Security Policy" in text]
