"""The site administrator's console in a real browser, in Korean and in English: disabling an
account (its owner can no longer log in and is told why), and a new competition that stays
off the home page until an organizer publishes it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_an_admin_disables_a_user_who_then_cannot_log_in(make, visitor, say, language):
    admin = make.user(name="관리자", admin=True)
    user = make.user(f"disabled-{language}@example.com", name=f"막힐 사람 {language}")

    console = visitor()
    console.log_in(admin)
    page = console.go("/admin/users")
    page.get_by_label(say("Search by name, email or affiliation")).fill(user.email)
    page.get_by_role("button", name=say("Search")).click()
    page.get_by_role("link", name=user.name).click()
    page.get_by_role("link", name=say("Disable the account…")).click()
    expect(page.get_by_role("heading", name=say("Disable the account of %(name)s?",
                                                name=user.name))).to_be_visible()  # fmt: skip
    page.get_by_role("button", name=say("Disable the account")).click()
    expect(page.get_by_text(say("%(name)s is disabled and logged out everywhere.",
                                name=user.name))).to_be_visible()  # fmt: skip

    person = visitor()
    page = person.go("/login")
    page.get_by_label(say("Email")).fill(user.email)
    page.get_by_label(say("Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(say("This account is disabled."))).to_be_visible()
    assert "/login" in page.url


def test_a_new_competition_stays_off_the_home_page_until_published(make, visitor, say, language):
    admin = make.user(name="대회 운영자", admin=True)
    title, slug = f"초안 챌린지 {language}", f"draft-challenge-{language}"

    organizer = visitor()
    organizer.log_in(admin)
    page = organizer.go("/competitions/new")
    page.get_by_label(say("Short name (used in addresses)")).fill(slug)
    page.get_by_label(say("Title")).fill(title)
    page.get_by_label(say("Divisions, one per line (name | eligibility)")).fill("일반 | 누구나")
    page.get_by_role("button", name=say("Create competition")).click()
    expect(page.locator("#state")).to_contain_text(say("Draft"))

    public = visitor()
    expect(public.go("/").locator("main")).not_to_contain_text(title)
    assert public.go(f"/c/{slug}").get_by_text(title).count() == 0
    staff_home = organizer.go("/")
    expect(staff_home.locator("#draft")).to_contain_text(title)

    page = organizer.go(f"/c/{slug}/manage")
    page.get_by_role("link", name=say("Publish…")).click()
    expect(
        page.get_by_role("heading", name=say("Publish “%(title)s”?", title=title))
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(say(
        "Everyone will see it on the home page, with its %(problems)d published problems, "
        "their public leaderboards and its %(notices)d notices, and people can enter it "
        "within its registration dates. Problems still in draft stay hidden. A published "
        "competition cannot become a draft again.", problems=0, notices=0))  # fmt: skip
    page.get_by_role("button", name=say("Publish the competition")).click()
    expect(page.get_by_text(say("“%(title)s” is published.", title=title))).to_be_visible()

    expect(public.go("/").get_by_role("link", name=title)).to_be_visible()
