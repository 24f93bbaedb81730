"""An organizer replaces a problem's hidden solution in a real browser, in Korean and in
English: the confirm page counts the submissions re-scoring will queue, the worker scores
them again, the leaderboard changes, and a member of a team whose score changed is told."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_finals import predictions, scored_by_the_worker
from tests.submissions.helpers import submit

SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))
FLIPPED = "id,label\n" + "".join(f"{i},{1 - i % 2}\n" for i in range(1, 41))
RIGHT = {"알파": 40, "베타": 10}  # 알파 leads until the answers are flipped


def test_replacing_the_solution_rescores_and_tells_the_teams(make, visitor, say, language):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"정답 교체 {language}")
    problem = make.problem(competition, slug="defects", title="불량 검출", solution=SOLUTION)
    uploads, leaders = [], {}
    for name, right in RIGHT.items():
        leaders[name] = make.user(name=f"{name} 팀장")
        make.team(competition, leaders[name], name=name)
        uploads.append(submit(problem, leaders[name], predictions(right)))
    scored_by_the_worker(uploads)
    board = f"/c/{competition.slug}/p/{problem.slug}/leaderboard"

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(board)
    expect(page.locator("tbody tr").first).to_contain_text("알파")
    page = chair.go(f"/c/{competition.slug}/p/{problem.slug}/manage")
    page.locator("#solution input[type=file]").set_input_files(
        files=[{"name": "flipped.csv", "mimeType": "text/csv", "buffer": FLIPPED.encode()}]
    )
    page.get_by_role("button", name=say("Replace solution")).click()
    asked = page.locator("[data-confirm]")
    expect(asked).to_contain_text(say(
        "%(num)d scored or failed submission will be re-scored against the new answers if "
        "you choose so.", "%(num)d scored or failed submissions will be re-scored against the "
        "new answers if you choose so.", num=2))  # fmt: skip
    expect(asked).to_contain_text("flipped.csv")
    page.get_by_role("button", name=say("Replace and re-score %(num)d submission",
                                        "Replace and re-score %(num)d submissions",
                                        num=2)).click()  # fmt: skip
    expect(page.locator("main")).to_contain_text(say("The solution is replaced."))
    scored_by_the_worker(uploads)
    page = chair.go(board)
    expect(page.locator("tbody tr").first).to_contain_text("베타")

    member = visitor()  # 알파's public score always changes (all right, then all wrong); 베타's
    member.log_in(leaders["알파"])  # may not: half right on the public rows stays half right
    page = member.go("/notifications")
    expect(page.locator("[data-notification='score_changed']")).to_contain_text(say(
        "A re-score of %(problem)s changed your team's scores on the public leaderboard; see "
        "your submissions for the new ones.", problem="불량 검출"))  # fmt: skip
