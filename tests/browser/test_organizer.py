"""An organizer sets up a problem from the console in a real browser, in Korean and in
English, and participants find it published."""

from __future__ import annotations

from playwright.sync_api import expect

SOLUTION = "id,label\n" + "".join(f"{i},{i % 3}\n" for i in range(1, 201))


def test_an_organizer_creates_and_publishes_a_problem(make, visitor, say, language, tmp_path):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"산업 AI 챌린지 {language}")
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION)
    person = visitor()
    person.log_in(organizer)

    page = person.go(f"/c/{competition.slug}")
    page.get_by_role("link", name=say("Organizer console")).click()
    page.get_by_role("link", name=say("Add a problem")).first.click()
    page.get_by_label(say("Short name (used in addresses)")).fill("weld-defects")
    page.get_by_label(say("Title"), exact=True).fill("용접 불량 분류")
    page.get_by_label(say("Description (Markdown)")).fill("용접 이미지의 **불량 유형**을 맞힙니다.")
    page.get_by_label(say("Metric"), exact=True).select_option("f1_macro")
    page.get_by_label(say("Prediction columns (comma-separated; empty: every other column "
                          "of the solution)")).fill("label")  # fmt: skip
    page.get_by_label(say("Submissions per day (empty: no limit)")).fill("3")
    page.get_by_label(say("Solution (CSV, UTF-8)")).set_input_files(str(solution))
    page.get_by_role("button", name=say("Create problem")).click()
    expect(page.get_by_text(say("The problem is created as a draft. Add its data files, "
                                "then publish it."))).to_be_visible()  # fmt: skip
    page.get_by_role("button", name=say("Publish"), exact=True).click()
    expect(page.get_by_text(say("Back to draft"))).to_be_visible()

    participant = visitor()
    page = participant.go(f"/c/{competition.slug}")
    page.get_by_role("link", name="용접 불량 분류").click()
    expect(page.locator("main strong", has_text="불량 유형")).to_be_visible()  # Markdown
    expect(page.get_by_role("heading", name=say("Submit predictions"))).to_be_visible()
