"""``judge demo`` loads a complete demo competition, and running it again changes nothing."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from judge.accounts.models import User
from judge.competitions import policy
from judge.competitions.models import Competition, CompetitionRole, Role, RulesAcceptance
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.demo import content
from judge.problems.models import Problem, ProblemFile, Solution, SplitMethod
from judge.teams.models import Membership, Team

PUBLIC_FILES = {"train.csv", "test.csv", "sample_submission.csv"}
CODE_FILES = {"train.csv", "starter_code.zip", "sample_submission.csv"}  # test.csv stays hidden
COUNTED = (User, Competition, CompetitionRole, Problem, ProblemFile, Solution, Team, Membership,
           RulesAcceptance)  # fmt: skip


@pytest.fixture
def loaded(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def demo_competition() -> Competition:
    return db.session.scalar(sa.select(Competition).where(Competition.slug == content.SLUG))


def demo_problems() -> list[Problem]:
    competition = demo_competition()
    return list(db.session.scalars(sa.select(Problem).where(Problem.competition == competition)))


def read_stored(key: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(storage.path_of(key).read_bytes()), dtype=str)


def public_file(problem: Problem, filename: str) -> pd.DataFrame:
    return read_stored(next(f.storage_key for f in problem.files if f.filename == filename))


def row_counts() -> dict[str, int]:
    return {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in COUNTED
    }


def test_demo_creates_the_competition_with_divisions_and_sponsors(loaded):
    competition = demo_competition()
    assert competition.title == "AI Innovation Challenge 2026"
    assert competition.timezone == "Asia/Seoul"
    assert competition.max_team_size == 4
    assert [d.name for d in competition.divisions] == ["대학원", "학부"]
    assert len(competition.sponsors) == 3
    assert all(len(s.members) == 1 for s in competition.sponsors)


def test_demo_has_a_pinned_notice_and_a_published_answer(loaded, client):
    page = client.get(f"/c/{content.SLUG}").text
    assert content.NOTICE_TITLE in page and "pinned" in page
    questions = client.get(f"/c/{content.SLUG}/questions").text
    assert content.QUESTION_TITLE in questions and "answered" in questions


def test_demo_windows_are_open_now(loaded):
    competition = demo_competition()
    moment = utcnow()
    assert competition.registration_opens_at < moment < competition.registration_closes_at
    assert competition.submissions_open_at < moment < competition.submissions_close_at
    assert competition.team_change_deadline < competition.submissions_close_at
    assert competition.results_at > competition.submissions_close_at


def test_demo_problems_are_published_with_a_solution_and_three_files(loaded):
    problems = demo_problems()
    assert len(problems) == 4
    assert {p.metric for p in problems} == {"roc_auc", "f1_macro", "rmse", "dice_rle"}
    assert {p.split_method for p in problems} == {SplitMethod.FRACTION, SplitMethod.USAGE_COLUMN}
    for problem in problems:
        assert problem.is_published
        assert problem.solution is not None
        assert problem.solution.public_rows > 0 and problem.solution.private_rows > 0
        expected = CODE_FILES if problem.mode.accepts_code else PUBLIC_FILES
        assert {f.filename for f in problem.files} == expected
        assert problem.daily_limit == 5 and problem.max_final_selections == 2


def test_demo_files_agree_on_ids_and_hide_the_target(loaded):
    for problem in demo_problems():
        train = public_file(problem, "train.csv")
        test = (read_stored(problem.hidden_inputs_key) if problem.mode.accepts_code
                else public_file(problem, "test.csv"))  # fmt: skip
        sample = public_file(problem, "sample_submission.csv")
        solution = read_stored(problem.solution.storage_key)
        assert list(sample["id"]) == list(solution["id"]) == list(test["id"])
        assert not set(sample["id"]) & set(train["id"])
        targets = problem.prediction_columns
        assert set(targets) <= set(train.columns)
        assert not set(targets) & set(test.columns)
        assert list(sample.columns) == ["id", *targets]
        assert len(train) > 2 * len(test) * 0.9  # about 70/30


def test_demo_teams_span_both_divisions_with_participants_who_accepted_the_rules(loaded):
    competition = demo_competition()
    teams = list(db.session.scalars(sa.select(Team).where(Team.competition == competition)))
    assert {t.name for t in teams} >= {"딥러닝연구회", "KAIST Vision"}
    assert {t.division.name for t in teams} == {"대학원", "학부"}
    for member in (user for team in teams for user in team.members):
        assert policy.has_accepted_rules(member, competition)
        assert not policy.is_staff(member, competition)


def test_demo_staff_have_their_roles(loaded):
    competition = demo_competition()
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    assert users["admin@demo.judge"].is_admin
    assert policy.has_role(users["organizer@demo.judge"], competition, Role.ORGANIZER)
    assert policy.is_judge(users["judge@demo.judge"], competition)
    assert users["judge@demo.judge"].affiliation
    assert policy.sponsor_ids_of(users["sponsor1@demo.judge"], competition)


def test_demo_output_tells_how_to_log_in(loaded):
    assert "http://127.0.0.1:8000/login" in loaded.output
    for email in ("admin@demo.judge", "organizer@demo.judge", "judge@demo.judge",
                  "sponsor1@demo.judge", "participant1@demo.judge"):  # fmt: skip
        assert email in loaded.output
    assert "demo-password" in loaded.output


def test_demo_accounts_log_in_with_the_given_password(runner, client):
    result = runner.invoke(args=["demo", "--password", "another-secret"])
    assert result.exit_code == 0, result.output
    assert "another-secret" in result.output
    response = client.post(
        "/login", data={"email": "participant1@demo.judge", "password": "another-secret"}
    )
    assert response.status_code == 302


def test_running_the_demo_twice_changes_nothing(runner, loaded):
    before = row_counts()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already there" in again.output
    assert "admin@demo.judge" in again.output
    assert row_counts() == before


def test_demo_reuses_an_existing_account(runner, make):
    make.user("judge@demo.judge", name="Existing Judge")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "password unchanged" in result.output
    judges = db.session.scalars(sa.select(User).where(User.email == "judge@demo.judge")).all()
    assert [u.name for u in judges] == ["Existing Judge"]
    assert policy.is_judge(judges[0], demo_competition())


def test_demo_refuses_a_short_password(runner):
    result = runner.invoke(args=["demo", "--password", "short"])
    assert result.exit_code != 0
    assert demo_competition() is None


def test_demo_reports_a_clash_with_an_existing_competition(runner, make):
    make.competition(title=content.TITLE)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert demo_competition() is None


def test_the_digit_problem_is_scored_by_its_sponsors_program(loaded):
    from judge.submissions import jobs
    from judge.submissions.models import Split, Status, Submission
    from tests.submissions.helpers import submit

    problem = next(p for p in demo_problems() if p.mode.scored_by_program)
    assert problem.slug == "part-digit-recognition"
    assert [c["key"] for c in problem.score_columns] == ["f1_macro", "worst_recall", "accuracy"]
    leader = db.session.scalar(sa.select(User).where(User.email == "participant1@demo.judge"))
    truth = read_stored(problem.solution.storage_key)
    body = truth[["id", "digit"]].to_csv(index=False).encode()
    submission = submit(problem, leader, body, "perfect.csv")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    private = next(s for s in submission.scores if s.split == Split.PRIVATE)
    assert private.value == 1.0
    assert private.details == {"f1_macro": 1.0, "worst_recall": 1.0, "accuracy": 1.0}


def test_the_diabetes_problem_takes_code_and_its_starter_code_scores(loaded):
    from judge.submissions import jobs
    from judge.submissions.models import Status, Submission
    from tests.submissions.helpers import submit

    problem = next(p for p in demo_problems() if p.mode.accepts_code)
    assert problem.slug == "disease-progression" and problem.hidden_inputs_filename == "test.csv"
    leader = db.session.scalar(sa.select(User).where(User.email == "participant3@demo.judge"))
    starter = next(f for f in problem.files if f.filename == "starter_code.zip")
    body = storage.path_of(starter.storage_key).read_bytes()
    submission = submit(problem, leader, body, "starter_code.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    assert 40 < submission.private_score < 80  # a line in BMI: RMSE about 60


def decoded(rle: str, pixels: int) -> np.ndarray:
    """A mask from Kaggle's encoding (1-based start and length pairs), flat in column order."""
    mask = np.zeros(pixels, dtype=bool)
    numbers = [int(n) for n in rle.split()]
    for start, length in zip(numbers[::2], numbers[1::2], strict=True):
        mask[start - 1 : start - 1 + length] = True
    return mask


def encoded(mask: np.ndarray) -> str:
    """The flat mask's runs, found one pixel at a time."""
    runs, start = [], None
    for at, on in enumerate([*mask, False]):
        if on and start is None:
            start = at
        elif not on and start is not None:
            runs.append(f"{start + 1} {at - start}")
            start = None
    return " ".join(runs)


def test_the_segmentation_problem_scores_an_upload_by_dice_through_the_worker(loaded, client):
    """The truth with a few pixels flipped in each image scores the mean Dice, each image's
    2|A∩B| / (|A| + |B|) counted here from the decoded pixels (both empty: 1)."""
    from judge.scoring.engine.solution import read_prepared
    from judge.submissions import jobs
    from judge.submissions.models import Split, Status, Submission
    from tests.submissions.helpers import submit

    problem = next(p for p in demo_problems() if p.metric == "dice_rle")
    assert problem.slug == "steel-defect-segmentation"
    assert problem.metric_options == {"height": 32, "width": 32}
    prepared = read_prepared(storage.path_of(problem.solution.prepared_key))
    truths = [decoded(rle, 32 * 32) for rle in prepared.targets["mask"]]
    assert any(t.any() for t in truths) and not all(t.any() for t in truths)
    rng = np.random.default_rng(7)
    guesses = []
    for truth in truths:
        guess = truth.copy()
        guess[rng.choice(truth.size, 12, replace=False)] ^= True
        guesses.append(guess)
    body = pd.DataFrame({"id": prepared.ids, "mask": [encoded(g) for g in guesses]})
    leader = db.session.scalar(sa.select(User).where(User.email == "participant1@demo.judge"))
    submission = submit(problem, leader, body.to_csv(index=False).encode(), "flipped.csv")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    dice = [2 * (t & g).sum() / (t.sum() + g.sum()) if t.any() or g.any() else 1.0
            for t, g in zip(truths, guesses, strict=True)]  # fmt: skip
    for split in (Split.PUBLIC, Split.PRIVATE):
        rows = (prepared.sides == split.value).to_numpy()
        expected = float(np.mean(np.asarray(dice)[rows]))
        score = next(s for s in submission.scores if s.split == split)
        # between the bounds, as computed here (the demo's salt is random, and so is which
        # images, some with empty truths that 12 flipped pixels score 0, are public)
        assert 0 < score.value < 1 and score.value == pytest.approx(expected, abs=1e-5)
    assert content.STEEL_DEFECTS.title in client.get(f"/c/{content.SLUG}").text
    page = client.get(f"/c/{content.SLUG}/p/{problem.slug}").text
    assert "Dice (run-length-encoded masks)" in page and "<code>height=32</code>" in page
    board = client.get(f"/api/v1/problems/{problem.id}/leaderboard").get_json()
    assert [row["team"] for row in board["rows"]] == ["KAIST Vision"]


def queued_in(competition: Competition) -> list:
    from judge.submissions.models import Status, Submission

    return list(db.session.scalars(sa.select(Submission).join(Problem).where(
        Problem.competition_id == competition.id, Submission.status == Status.QUEUED)))  # fmt: skip


def test_this_years_first_week_is_queued_and_ranks_the_teams_once_scored(loaded, client):
    """Each team's uploads of the past days wait for the worker; scored, they fill the
    leaderboard (the public share is drawn anew at each load: the two strong teams may
    swap places, the weakest stays last)."""
    from judge.demo import history
    from judge.submissions import jobs
    from judge.submissions.models import Status

    queued = queued_in(demo_competition())
    assert len(queued) == sum(len(noise) for noise in history.PLAN.values())
    assert all(s.created_at < utcnow() for s in queued)  # in the past days, not today's quota
    for submission in queued:
        jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    assert {s.status for s in queued} == {Status.SCORED}, [s.log for s in queued]
    problem = queued[0].problem
    board = client.get(f"/api/v1/problems/{problem.id}/leaderboard").get_json()
    teams = [row["team"] for row in board["rows"]]
    assert sorted(teams) == sorted(history.PLAN) and teams[-1] == "데이터새싹"  # the weakest


def test_the_finals_demo_walks_from_the_close_to_the_results_page(loaded, client):
    """Last year's challenge: score the queued finals, shortlist, judge, compute, award,
    finalize, and read the published results, as the organizer and the judges would."""
    from judge.competitions.models import Competition
    from judge.demo import finals as demo_finals
    from judge.finals import judging, reproduction, results, services
    from judge.finals.models import Reproduction
    from judge.submissions import jobs
    from judge.submissions.models import Status

    competition = db.session.scalar(
        sa.select(Competition).where(Competition.slug == demo_finals.SLUG)
    )
    queued = queued_in(competition)
    assert len(queued) == 2 * len(content.TEAMS)  # predictions and code, from each team
    for submission in queued:
        jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    assert {s.status for s in queued} == {Status.SCORED}, [s.log for s in queued]
    organizer = db.session.scalar(sa.select(User).where(User.email == "organizer@demo.judge"))
    chosen = []
    for problem in {s.problem for s in queued}:
        with unit_of_work():
            chosen += services.shortlist(problem, organizer, utcnow())
    assert sorted(f.team.name for f in chosen) == sorted(2 * [t.name for t in content.TEAMS])
    code_finalists = [f for f in chosen if f.problem.mode.accepts_code]
    for finalist in code_finalists:
        assert reproduction.reproduce(finalist.id) == Reproduction.REPRODUCED
    panel = judging.judges(competition)
    assert len(panel) == 3
    criteria = judging.criteria(competition)
    for finalist in chosen:
        for judge in panel:
            if judging.conflicted(judge, finalist):
                assert finalist.team.name == "딥러닝연구회" and judge.name == "한심사"
                continue
            with unit_of_work():
                judging.save_scores(judge, finalist, {c.id: 8 for c in criteria}, utcnow())
    with unit_of_work():
        results.finalize(competition, organizer, utcnow(), reveal=True)
    page = client.get(f"/c/{demo_finals.SLUG}/results", headers={"Accept-Language": "ko"})
    assert page.status_code == 200
    assert "과학기술정보통신부 장관상" in page.text and "10,000,000원" in page.text
    assert "누리생명 대표이사상" in page.text
    for team in content.TEAMS:
        assert team.name in page.text
