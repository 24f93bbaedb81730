import io
from pathlib import Path

import pytest

from judge.competitions import services
from judge.competitions.models import Role
from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.problems.models import Problem
from tests.api.conftest import error_code

SOLUTION = "id,label\n" + "".join(f"r{i},{i % 2}\n" for i in range(100))


def form(solution: str | bytes = SOLUTION, **fields):
    data = {"slug": "defects", "title": "Defect detection", "metric": "accuracy"} | fields
    content = solution.encode() if isinstance(solution, str) else solution
    data["solution"] = (io.BytesIO(content), data.pop("filename", "solution.csv"))
    return data


def blobs(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"]) / "blobs"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def setup(make):
    organizer = make.user()
    competition = make.competition(organizer)
    return organizer, competition


def create(api, user, competition, **kwargs):
    data = form(**kwargs)
    data.setdefault("sponsor_id", competition.sponsors[0].id)
    return api.post(f"/competitions/{competition.slug}/problems", as_=user, data=data)


def test_organizer_creates_problem_with_solution(api, setup):
    organizer, competition = setup
    response = create(api, organizer, competition, public_fraction="0.25")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["published"] is False
    assert body["higher_is_better"] is True
    assert body["prediction_columns"] == ["label"]
    assert body["solution"]["rows"] == 100
    assert 10 < body["solution"]["public_rows"] < 45


def test_metric_direction_follows_the_metric(api, setup):
    organizer, competition = setup
    response = create(api, organizer, competition, metric="rmse")
    assert response.json["higher_is_better"] is False


def test_usage_column_split(api, setup):
    organizer, competition = setup
    solution = "id,label,Usage\na,1,Public\nb,0,Private\nc,1,private\nd,0,Ignored\n"
    response = create(
        api,
        organizer,
        competition,
        solution=solution,
        split_method="usage_column",
        prediction_columns="label",
    )
    assert response.status_code == 201, response.json
    info = response.json["solution"]
    assert (info["rows"], info["public_rows"], info["private_rows"]) == (4, 1, 2)


def test_split_all_scores_every_row_on_both_boards(api, setup):
    organizer, competition = setup
    response = create(api, organizer, competition, split_method="all", public_fraction="0.25")
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["split_method"], body["public_fraction"]) == ("all", None)
    info = body["solution"]
    assert (info["rows"], info["public_rows"], info["private_rows"]) == (100, 100, 100)
    problem_id = body["id"]
    changed = api.patch(f"/problems/{problem_id}", as_=organizer,
                        json={"split_method": "fraction", "public_fraction": 0.4})  # fmt: skip
    assert changed.status_code == 200, changed.json
    assert (changed.json["split_method"], changed.json["public_fraction"]) == ("fraction", 0.4)
    info = changed.json["solution"]  # split again: the next score uses what the settings say
    assert info["public_rows"] + info["private_rows"] == 100 and 20 < info["public_rows"] < 60
    wrong = api.patch(f"/problems/{problem_id}", as_=organizer, json={"split_method": "half"})
    assert wrong.status_code == 422 and "all" in str(wrong.json)


def test_sponsor_member_creates_for_own_sponsor_only(api, make, setup):
    _organizer, competition = setup
    member = make.user()
    make.sponsor_member(competition, member)
    with unit_of_work():
        other = services.add_sponsor(competition, "Other Corp")
    own = create(api, member, competition)
    assert own.status_code == 201
    foreign = create(api, member, competition, slug="other", sponsor_id=other.id)
    assert foreign.status_code == 403


@pytest.mark.parametrize("who", ["participant", "judge", "anonymous"])
def test_others_cannot_create_problems(api, make, setup, who):
    _organizer, competition = setup
    user = None if who == "anonymous" else make.user()
    if who == "judge":
        make.role(competition, user, Role.JUDGE)
    response = create(api, user, competition)
    assert response.status_code == (401 if user is None else 403)
    assert db.session.query(Problem).count() == 0


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"solution": "row,label\n1,0\n"}, "no id column"),
        ({"solution": "id,label\n1,0\n1,1\n2,0\n"}, "duplicated ids"),
        ({"solution": "id,label\n1,0\n".encode("cp949") + "2,가\n".encode("cp949")}, "UTF-8"),
        ({"solution": ""}, "empty"),
        ({"solution": "id,label\n"}, "no rows"),
        ({"solution": "id\n1\n2\n"}, "no answer column"),
        ({"prediction_columns": "score"}, "score"),
        ({"filename": "solution.xlsx"}, ".csv"),
        ({"filename": "../../etc/passwd.csv"}, "file name"),
        ({"split_method": "usage_column"}, "Usage"),
        ({"public_fraction": "1.5"}, "between 0 and 1"),
    ],
)
def test_bad_solution_or_settings_leave_nothing_behind(api, app, setup, kwargs, needle):
    organizer, competition = setup
    before = blobs(app)
    response = create(api, organizer, competition, **kwargs)
    assert response.status_code == 422, response.json
    assert needle in response.json["error"]["message"]
    assert db.session.query(Problem).count() == 0
    assert blobs(app) == before


def test_unknown_metric_is_422(api, setup):
    organizer, competition = setup
    response = create(api, organizer, competition, metric="vibes")
    assert response.status_code == 422
    assert "metric" in response.json["error"]["fields"]


def test_duplicate_slug_conflicts(api, setup):
    organizer, competition = setup
    assert create(api, organizer, competition).status_code == 201
    again = create(api, organizer, competition, title="Again")
    assert (again.status_code, error_code(again)) == (409, "conflict")


def test_oversized_solution_is_413_and_not_stored(api, app, setup):
    organizer, competition = setup
    app.config["MAX_SOLUTION_BYTES"] = 100
    response = create(api, organizer, competition)
    assert (response.status_code, error_code(response)) == (413, "too_large")
    assert blobs(app) == []
    assert db.session.query(Problem).count() == 0


def test_request_over_the_global_limit_is_413_json(api, app, setup):
    organizer, competition = setup
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = create(api, organizer, competition)
    assert response.status_code == 413
    assert error_code(response) == "request_entity_too_large"


def test_solution_without_file_is_422(api, setup):
    organizer, competition = setup
    data = {
        "slug": "x",
        "title": "X",
        "metric": "accuracy",
        "sponsor_id": competition.sponsors[0].id,
        "solution": "not a file",
    }
    response = api.post(f"/competitions/{competition.slug}/problems", as_=organizer, data=data)
    assert response.status_code == 422
    assert "solution" in response.json["error"]["fields"]


def test_no_daily_limit_stays_unlimited(api, setup, make):
    organizer, competition = setup
    response = create(api, organizer, competition)
    assert response.json["daily_limit"] == 5  # the default
    problem = make.problem(competition, daily_limit=None)
    assert api.get(f"/problems/{problem.id}", as_=organizer).json["daily_limit"] is None
