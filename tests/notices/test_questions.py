"""Q&A: a question stays with its asker and the staff who answer it until it is published."""

from __future__ import annotations

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.extensions import db
from judge.notices.models import Question

LEAK = "The test labels are in train.csv"


def base(cast) -> str:
    return f"/c/{cast.competition.slug}"


def ask(browser, cast, role="participant", problem=None, **fields):
    data = {"title": LEAK, "body": "Row 7 of train.csv matches the hidden answers.",
            "problem_id": str(problem.id if problem else 0)} | fields  # fmt: skip
    return browser(role).post(f"{base(cast)}/questions", data=data)


def only_question() -> Question:
    return db.session.scalars(sa.select(Question)).one()


def published() -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == "question_published")
    return list(db.session.scalars(query))


def answer(browser, cast, role, question, publish=False, text="Fixed, thank you."):
    data = {"answer": text} | ({"publish": "y"} if publish else {})
    return browser(role).post(f"{base(cast)}/questions/{question.id}/answer", data=data)


def sees(browser, cast, role, question) -> bool:
    """Whether ``role`` finds the question anywhere: list, search, its page."""
    client = browser(role)
    listed = client.get(f"{base(cast)}/questions").text
    searched = client.get(f"{base(cast)}/questions?q=TEST+LABELS").text
    page = client.get(f"{base(cast)}/questions/{question.id}")
    found = [LEAK in listed, LEAK in searched, page.status_code == 200]
    assert len(set(found)) == 1, (role, found)  # never seen in one place and hidden in another
    if page.status_code != 200:
        assert page.status_code == 404 and LEAK not in page.text
        assert "0 questions" in listed
    return found[0]


def test_an_unpublished_question_reaches_only_the_asker_and_its_answerers(browser, cast):
    assert ask(browser, cast, problem=cast.problem).status_code == 302
    question = only_question()
    for role in ("participant", "sponsor", "organizer", "admin"):
        assert sees(browser, cast, role, question), role
    for role in ("anonymous", "rival", "outsider", "judge", "other_sponsor"):
        assert not sees(browser, cast, role, question), role


def test_a_question_about_the_whole_competition_is_not_for_sponsors(browser, cast):
    ask(browser, cast)
    question = only_question()
    assert sees(browser, cast, "organizer", question)
    assert not sees(browser, cast, "sponsor", question)
    assert answer(browser, cast, "sponsor", question).status_code == 404


def test_answered_privately_the_asker_is_told_and_nobody_else_sees_it(browser, cast):
    ask(browser, cast, problem=cast.problem)
    question = only_question()
    assert answer(browser, cast, "sponsor", question).status_code == 302
    mine = browser("participant").get(f"{base(cast)}/questions/mine").text
    assert "answered" in mine and "Fixed, thank you." in mine
    assert LEAK in browser("participant").get("/notifications").text
    assert not sees(browser, cast, "rival", question)
    assert published() == []  # nothing was published


def test_published_with_its_answer_everyone_reads_it(browser, cast):
    ask(browser, cast, problem=cast.problem)
    question = only_question()
    assert answer(browser, cast, "organizer", question, publish=True).status_code == 302
    for role in ("anonymous", "rival", "judge", "other_sponsor"):
        assert sees(browser, cast, role, question), role
    page = browser("rival").get(f"{base(cast)}/questions/{question.id}").text
    assert "Fixed, thank you." in page and 'name="answer"' not in page  # no answer form
    [entry] = published()
    assert LEAK in entry.subject and entry.actor_id == cast["organizer"].id
    answer(browser, cast, "organizer", question, publish=False)  # taken back
    assert not sees(browser, cast, "rival", question)


def test_participants_judges_and_other_sponsors_cannot_answer(browser, cast):
    ask(browser, cast, problem=cast.problem)
    question = only_question()
    assert answer(browser, cast, "participant", question, publish=True).status_code == 403
    assert answer(browser, cast, "rival", question, publish=True).status_code == 404
    assert answer(browser, cast, "judge", question, publish=True).status_code == 404
    assert answer(browser, cast, "other_sponsor", question, publish=True).status_code == 404
    assert answer(browser, cast, "anonymous", question).status_code == 302  # to log in
    db.session.refresh(question)
    assert question.answer is None and question.published_at is None


def test_a_question_about_a_draft_is_refused_for_participants(browser, cast):
    response = ask(browser, cast, problem=cast.draft)
    assert response.status_code == 422 and "Not a valid choice" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


def test_search_is_case_insensitive_and_literal(browser, cast):
    ask(browser, cast, title="Is 100% of the DATA public?")
    answer(browser, cast, "organizer", only_question(), publish=True)
    client = browser("rival")
    assert "100% of the DATA" in client.get(f"{base(cast)}/questions?q=of+the+data").text
    assert "1 question" in client.get(f"{base(cast)}/questions?q=100%25").text
    assert "0 questions" in client.get(f"{base(cast)}/questions?q=_00").text  # _ is no wildcard


def test_asking_is_limited_per_day(app, browser, cast):
    app.config["QUESTIONS_PER_DAY"] = 2
    for n in range(2):
        assert ask(browser, cast, title=f"Question {n}").status_code == 302
    refused = ask(browser, cast, title="One too many")
    assert refused.status_code == 422
    assert "You asked 2 questions in the last 24 hours" in refused.text
    korean = browser("participant").post(
        f"{base(cast)}/questions", headers={"Accept-Language": "ko"},
        data={"title": "하나 더", "body": "질문", "problem_id": "0"},
    )  # fmt: skip
    assert "24시간" in korean.text
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 2
    assert ask(browser, cast, "rival", title="Someone else's").status_code == 302


def test_anonymous_people_must_log_in_to_ask(browser, cast):
    assert ask(browser, cast, "anonymous").status_code == 302
    assert "Log in to ask a question" in browser("anonymous").get(f"{base(cast)}/questions").text
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


def test_control_characters_are_refused_with_a_message(browser, cast):
    response = ask(browser, cast, title="Null\x00byte")
    assert response.status_code == 422 and "Remove the control characters" in response.text
    korean = browser("participant").post(
        f"{base(cast)}/questions", headers={"Accept-Language": "ko"},
        data={"title": "질문", "body": "널\x00문자", "problem_id": "0"},
    )  # fmt: skip
    assert "제어 문자" in korean.text
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0
