"""Who may change which field of a problem, in which state: field × role × state.

The authorization matrix asks who may call an endpoint; this table asks, for every field of
every request body that changes a problem, who may change it before submissions open, while
they are open, after they close and once the results are finalized. The table is checked
against the API's schemas: a new field that is not classified here fails
``test_every_body_field_is_classified``.

Issue 13, item 2: a sponsor member's ``PATCH /api/v1/problems/2 {"reveal_at": "<past>"}``
answered 200 and opened the private board to everyone; the same PATCH moved the dates and the
blend weight after the close. The reveal, the dates, the split, the blend weight and the
publication are the organizers' (a sponsor submits its problem for review); what decides
scoring (metric, id column, runtime, final selections, solution, scoring program, code
inputs) is the problem's sponsor's during setup and the organizers' once submissions open;
nothing that ranks changes after the results are finalized (reopen them first). A refusal
names the field and changes nothing; an allowed change of a ranking or visibility setting is
in the audit log with before and after.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from judge.accounts.models import User
from judge.api import schemas
from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import services as finals
from judge.leaderboard import services as leaderboard
from judge.problems.models import Problem
from tests.conftest import PASSWORD
from tests.security.conftest import HIDDEN_PRIVATE, SECRET_TASK

ROLES = ("admin", "organizer", "sponsor", "other_sponsor", "judge", "participant", "anonymous")
STATES = ("setup", "open", "closed", "finalized")
ORGANIZERS = frozenset({"admin", "organizer"})
MANAGERS = ORGANIZERS | {"sponsor"}
NOBODY: frozenset[str] = frozenset()

# Who may change a field of each kind, by state.
CONTENT = dict.fromkeys(STATES, MANAGERS)  # words, files and limits: no ranking, no visibility
SCORING = {"setup": MANAGERS, "open": ORGANIZERS, "closed": ORGANIZERS, "finalized": NOBODY}
ORGANIZERS_ONLY = {"setup": ORGANIZERS, "open": ORGANIZERS, "closed": ORGANIZERS,
                   "finalized": NOBODY}  # fmt: skip

# Every field of every request body that changes a problem, by schema.
FIELDS = {
    "ProblemSettings": {
        "title": CONTENT,
        "description": CONTENT,
        "daily_limit": CONTENT,
        "min_interval_seconds": CONTENT,
        "total_limit": CONTENT,
        "failed_daily_limit": CONTENT,
        "metric": SCORING,
        "metric_options": SCORING,
        "id_column": SCORING,
        "runtime": SCORING,
        "max_final_selections": SCORING,
        "reveal_at": ORGANIZERS_ONLY,
        "opens_at": ORGANIZERS_ONLY,
        "closes_at": ORGANIZERS_ONLY,
        "split_method": ORGANIZERS_ONLY,
        "public_fraction": ORGANIZERS_ONLY,
        "blend_public_weight": ORGANIZERS_ONLY,
        "score_decimals": CONTENT,
        "scoring_wall_seconds": SCORING,
    },
    "SolutionUpload": {"solution": SCORING, "rescore": SCORING},
    "ProgramUpload": {"program": SCORING, "columns": SCORING},
    "CodeSettings": {
        "inputs": SCORING,
        "ingestion_program": SCORING,
        "limits": SCORING,
        "validation_inputs": SCORING,
        "validation_daily_limit": SCORING,
        "takes_results": SCORING,
    },
    "FileUpload": {"file": CONTENT, "description": CONTENT},
}
# Fields only a new problem's request has: who may create one is the authorization matrix's
# question; its settings are checked like the PATCH's (see test_a_sponsor_creates_...).
CREATE_ONLY = {"solution", "slug", "sponsor_id", "prediction_columns"}


def solution_csv() -> bytes:
    """A solution unlike every problem's first one (a replacement must change something)."""
    return ("id,label\n" + "".join(f"{i},{(i // 2) % 2}\n" for i in range(1, 41))).encode()


def program_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("metadata.yaml", "command: python3 $program/score.py $input $output\n")
        archive.writestr("score.py", "print('scored')\n")
    return buffer.getvalue()


def changed(field: str, problem: dict):
    """A valid new value of ``field`` for the problem as it is."""
    now = utcnow()
    values = {
        "title": "Renamed", "description": "New words", "daily_limit": 9,
        "min_interval_seconds": 30, "total_limit": 99, "failed_daily_limit": 7,
        "metric": "balanced_accuracy", "id_column": "ident", "runtime": "alternative",
        "max_final_selections": 3,
        "reveal_at": (problem["closes"] + timedelta(hours=1)).isoformat(),  # once closed
        "opens_at": (problem["opens"] - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),  # reopens a closed problem
        "split_method": "all", "public_fraction": 0.5, "blend_public_weight": 0.5,
        "metric_options": {"season": 7}, "score_decimals": 3, "scoring_wall_seconds": 60,
    }  # fmt: skip
    return values[field]


# Fields that change only together with another: settings need a metric that takes them.
TOGETHER = {"metric_options": {"metric": "mase"}}
# Fields of a problem scored by its own program: the world's problems have a built-in metric,
# so a role that may change them is told why not (the field named), after the role check.
NEEDS_PROGRAM = {"scoring_wall_seconds"}


@dataclass(frozen=True)
class Request:
    """One write to a problem: a PATCH of one field, or a whole multipart body."""

    schema: str
    method: str
    path: str
    body: dict

    @property
    def fields(self) -> set[str]:
        return set(self.body)


def requests(problem: dict) -> list[Request]:
    pid = problem["id"]
    patch = [Request("ProblemSettings", "PATCH", f"/problems/{pid}",
                     {name: changed(name, problem)} | TOGETHER.get(name, {}))
             for name in FIELDS["ProblemSettings"]]  # fmt: skip
    return [
        *patch,
        Request("SolutionUpload", "PUT", f"/problems/{pid}/solution",
                {"solution": lambda: (io.BytesIO(solution_csv()), "solution.csv")}),
        Request("ProgramUpload", "PUT", f"/problems/{pid}/scoring-program",
                {"program": lambda: (io.BytesIO(program_zip()), "program.zip"),
                 "columns": lambda: '[{"key": "score"}]'}),
        Request("CodeSettings", "PUT", f"/problems/{pid}/code",
                {"inputs": lambda: (io.BytesIO(b"id\n1\n"), "inputs.csv"),
                 "ingestion_program": lambda: (io.BytesIO(program_zip()), "ingest.zip"),
                 "limits": lambda: json.dumps({"cpu_seconds": 60}),
                 "validation_inputs": lambda: (io.BytesIO(b"id\n7\n"), "public.csv"),
                 "validation_daily_limit": lambda: "4", "takes_results": lambda: "false"}),
        Request("FileUpload", "POST", f"/problems/{pid}/files",
                {"file": lambda: (io.BytesIO(b"id,x\n1,2\n"), "more.csv"),
                 "description": lambda: "More data"}),
    ]  # fmt: skip


def allowed(request: Request, state: str) -> frozenset[str]:
    kinds = [FIELDS[request.schema][name][state] for name in request.fields]
    return frozenset.intersection(*map(frozenset, kinds))


# --- the world in each state, as copies of one SQLite file ---------------------------------


class States:
    """One database file per state; every write starts again from its state's copy."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.copies: dict[str, Path] = {}

    def close(self) -> None:
        db.session.remove()
        db.engine.dispose()

    def save(self, state: str) -> None:
        self.close()
        self.copies[state] = self.path.with_suffix(f".{state}")
        shutil.copyfile(self.path, self.copies[state])

    def load(self, state: str) -> None:
        self.close()
        for extra in ("-wal", "-shm"):
            Path(str(self.path) + extra).unlink(missing_ok=True)
        shutil.copyfile(self.copies[state], self.path)


@pytest.fixture(scope="module")
def world(module_app, module_world):
    cast, make = module_world
    module_app.config["SANDBOX_RUNTIMES"] = {"alternative": module_app.config["SANDBOX_PYTHON"]}
    now = utcnow()
    upcoming = make.problem(cast.competition, slug="upcoming", opens_at=now + timedelta(days=1),
                            closes_at=now + timedelta(days=2))  # fmt: skip
    people = {role: cast.people.get(role) for role in ROLES}
    tokens = {role: make.token(user) for role, user in people.items() if user is not None}
    visible, competition_id = cast.problem.id, cast.competition.id
    slug, sponsor_id = cast.competition.slug, cast.competition.sponsors[0].id
    states = States(Path(db.engine.url.database))
    windows = {"open": (now - timedelta(days=1), now + timedelta(days=1)),
               "closed": (now - timedelta(days=2), now - timedelta(hours=1))}  # fmt: skip
    problems = {"setup": {"id": upcoming.id, "opens": now + timedelta(days=1),
                          "closes": now + timedelta(days=2)}}  # fmt: skip
    states.save("setup")
    for state in ("open", "closed", "finalized"):
        opens, closes = windows["open" if state == "open" else "closed"]
        with unit_of_work():
            problem = db.session.get(Problem, visible)
            problem.opens_at, problem.closes_at = opens, closes
            if state == "finalized":
                finals.settings_of(problem.competition).locked_at = now
        problems[state] = {"id": visible, "opens": opens, "closes": closes}
        states.save(state)
    return {"states": states, "tokens": tokens, "problems": problems,
            "competition_id": competition_id, "slug": slug, "sponsor_id": sponsor_id}  # fmt: skip


def send(client, world, request: Request, role: str):
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {world['tokens'][role]}"
    if request.method == "PATCH":
        return client.patch("/api/v1" + request.path, json=request.body, headers=headers)
    data = {name: value() for name, value in request.body.items()}
    return client.open("/api/v1" + request.path, method=request.method, data=data,
                       headers=headers)  # fmt: skip


def snapshot(problem_id: int) -> dict:
    db.session.expire_all()
    problem = db.session.get(Problem, problem_id)
    columns = [c.key for c in sa.inspect(Problem).column_attrs if c.key != "created_at"]
    return {name: getattr(problem, name) for name in columns} | {
        "files": len(problem.files),
        "solution": problem.solution.storage_key,
    }


def audit_count(competition_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.competition_id == competition_id))  # fmt: skip


def refusal_status(role: str, request: Request, state: str) -> int:
    if role == "anonymous":
        return 401
    if role not in MANAGERS:
        return 403  # not the problem's: the authorization matrix's answer
    frozen = any(not FIELDS[request.schema][f][state] for f in request.fields)
    return 409 if frozen else 403  # frozen by the state for everyone, or not this role's


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_each_field_answers_each_role_in_each_state(module_app, world, state, role):
    client = module_app.test_client()
    problem = world["problems"][state]
    for request in requests(problem):
        world["states"].load(state)
        before, entries = snapshot(problem["id"]), audit_count(world["competition_id"])
        answer = send(client, world, request, role)
        where = f"{request.method} {sorted(request.fields)} as {role} when {state}"
        if role in allowed(request, state) and request.fields & NEEDS_PROGRAM:
            assert answer.status_code == 422, f"{where}: {answer.text}"
            assert answer.json["error"]["field"] in NEEDS_PROGRAM, f"{where}: {answer.text}"
            assert snapshot(problem["id"]) == before, f"{where}: changed although refused"
            continue
        if role in allowed(request, state):
            assert answer.status_code in (200, 201), f"{where}: {answer.text}"
            assert snapshot(problem["id"]) != before, f"{where}: nothing changed"
            if any(FIELDS[request.schema][f] is not CONTENT for f in request.fields):
                assert audit_count(world["competition_id"]) > entries, f"{where}: not audited"
            continue
        assert answer.status_code == refusal_status(role, request, state), f"{where}: {answer.text}"
        error = answer.json["error"]
        if role in MANAGERS:
            assert error.get("field") in request.fields, f"{where}: {error}"
            assert error["field"] in error["message"], error
        assert snapshot(problem["id"]) == before, f"{where}: changed although refused"


def test_a_sponsors_reveal_does_not_open_the_private_board(module_app, world):
    """The probe: a sponsor's past reveal_at, then the private board as a participant."""
    client = module_app.test_client()
    problem = world["problems"]["closed"]
    world["states"].load("closed")
    sponsor = {"Authorization": f"Bearer {world['tokens']['sponsor']}"}
    past = (utcnow() - timedelta(hours=1)).isoformat()
    answer = client.patch(f"/api/v1/problems/{problem['id']}", json={"reveal_at": past},
                          headers=sponsor)  # fmt: skip
    assert answer.status_code == 403 and answer.json["error"]["field"] == "reveal_at"
    assert "reveal_at" in answer.json["error"]["message"]
    for headers in ({}, {"Authorization": f"Bearer {world['tokens']['participant']}"}):
        board = client.get(f"/api/v1/problems/{problem['id']}/leaderboard?board=private",
                           headers=headers)  # fmt: skip
        assert board.status_code == 403
        assert not any(secret in board.text for secret in HIDDEN_PRIVATE)


def test_an_organizers_change_after_the_close_is_audited_with_before_and_after(module_app, world):
    client = module_app.test_client()
    problem = world["problems"]["closed"]
    world["states"].load("closed")
    organizer = {"Authorization": f"Bearer {world['tokens']['organizer']}"}
    answer = client.patch(f"/api/v1/problems/{problem['id']}", headers=organizer,
                          json={"blend_public_weight": 0.3, "title": "Same problem"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "problem_settings_changed"
    assert entry.before == {"blend_public_weight": None}
    assert entry.after == {"blend_public_weight": 0.3}
    board = leaderboard.is_revealed(db.session.get(Problem, problem["id"]), utcnow())
    assert board is False


def test_a_sponsor_creates_a_problem_but_not_its_reveal_dates_split_or_blend(module_app, world):
    client = module_app.test_client()
    world["states"].load("open")
    sponsor = {"Authorization": f"Bearer {world['tokens']['sponsor']}"}
    slug, sponsor_id = world["slug"], world["sponsor_id"]
    count = db.session.scalar(sa.text("SELECT COUNT(*) FROM problems"))
    base = {"slug": "by-sponsor", "title": "By the sponsor", "sponsor_id": str(sponsor_id),
            "metric": "accuracy"}  # fmt: skip
    for field in FIELDS["ProblemSettings"]:
        if FIELDS["ProblemSettings"][field] is not ORGANIZERS_ONLY:
            continue
        value = changed(field, {"opens": utcnow(), "closes": utcnow()})
        data = base | {field: str(value), "solution": (io.BytesIO(solution_csv()), "s.csv")}
        answer = client.post(f"/api/v1/competitions/{slug}/problems", data=data, headers=sponsor)
        assert answer.status_code == 403, f"{field}: {answer.text}"
        assert answer.json["error"]["field"] == field
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM problems")) == count
    data = base | {"solution": (io.BytesIO(solution_csv()), "s.csv"), "daily_limit": "3"}
    created = client.post(f"/api/v1/competitions/{slug}/problems", data=data, headers=sponsor)
    assert created.status_code == 201, created.text


def test_competition_dates_moved_by_an_organizer_are_audited(module_app, world):
    """The competition's dates open and close every problem without dates of its own."""
    client = module_app.test_client()
    world["states"].load("open")
    organizer = {"Authorization": f"Bearer {world['tokens']['organizer']}"}
    closes = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    answer = client.patch(
        f"/api/v1/competitions/{world['slug']}",
        headers=organizer,
        json={"submissions_close_at": closes.isoformat(), "rules": "Fair."},
    )
    assert answer.status_code == 200, answer.text
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before, entry.after) == (
        "competition_dates_changed", {"submissions_close_at": None},
        {"submissions_close_at": closes.isoformat()})  # fmt: skip


def test_every_body_field_is_classified(module_app):
    """Every field of every request body of the API is classified: per field and state here
    for the bodies that change a problem, as a whole (every field the same) for the rest."""
    spec = module_app.test_client().get("/api/v1/openapi.json").json
    found: dict[str, set[str]] = {}
    for operations in spec["paths"].values():
        for operation in (o for o in operations.values() if isinstance(o, dict)):
            for content in operation.get("requestBody", {}).get("content", {}).values():
                name = content["schema"]["$ref"].rsplit("/", 1)[-1]
                found[name] = set(getattr(schemas, name)().fields)
    create = found.pop("ProblemCreate")
    assert create - CREATE_ONLY == set(FIELDS["ProblemSettings"]), "classify the new fields"
    classified = {name: set(fields) for name, fields in FIELDS.items()}
    classified |= {name: fields for name, (_who, fields) in WHOLE_BODY.items()}
    assert classified == found


# Bodies that do not change a problem: whoever may call the endpoint may send every field
# (the authorization matrix checks who may call it; the services check the values).
WHOLE_BODY = {
    "TokenRequest": ("anyone, with the account's password", {"email", "password", "name"}),
    "MeUpdate": ("the account itself", {"locale"}),
    "CompetitionCreate": ("site administrators", {
        "slug", "title", "divisions", "description", "rules", "timezone",
        "registration_opens_at", "registration_closes_at", "submissions_open_at",
        "submissions_close_at", "results_at", "team_change_deadline", "max_team_size"}),
    "CompetitionFields": ("the competition's organizers; dates audited", {
        "title", "description", "rules", "timezone", "registration_opens_at",
        "registration_closes_at", "submissions_open_at", "submissions_close_at", "results_at",
        "team_change_deadline", "max_team_size"}),
    "DivisionIn": ("organizers", {"name", "eligibility"}),
    "SponsorIn": ("organizers", {"name", "website", "description"}),
    "DivisionChange": ("organizers; audited", {"name", "eligibility"}),
    "SponsorChange": ("organizers; audited", {"name", "website", "description"}),
    "NoticeIn": ("organizers; a sponsor's members about its own problems", {
        "title", "body", "problem_id", "pinned", "email_participants"}),
    "EmailIn": ("organizers; audited; never a team member", {"email"}),
    "RoleIn": ("organizers; audited; never a team member", {"email", "role"}),
    "TeamCreate": ("people who are not staff", {"name", "division_id"}),
    "JoinRequest": ("people who are not staff", {"code"}),
    "MemberChoice": ("the team's leader, before the team-change deadline; audited", {"user_id"}),
    "DivisionChoice": ("the team's leader, before the deadline, when every member qualifies; "
                       "audited", {"division_id"}),
    "MergeRequestIn": ("the asking team's leader, before the deadline; audited", {"team_id"}),
    "Moderation": ("the competition's organizers, with a reason told to the members; audited",
                   {"act", "reason", "name"}),
    "SendBackIn": ("the competition's organizers, for a problem in review; told to the "
                   "sponsor's members; audited", {"comment"}),
    "RulesAcceptanceIn": ("the account itself", {"consent_version", "answers", "confirm"}),
    "SubmissionUpload": ("the team's members while open", {"file", "description"}),
    "ValidationUpload": ("the team's members while open", {"file"}),
}  # fmt: skip


# --- a problem with phases: the organizers' web forms, field × role × state ---------------

SERIES = "/c/{slug}/s/phased"
# Each form of a series changes its fields on every row, as the problem's rules say; only
# organizers reach the forms at all (the others: 403; anonymous: the login page).
SERIES_FORMS = {
    "title": ("/settings", {"title": "Renamed", "description": "", "score_decimals": "3"},
              dict.fromkeys(STATES, ORGANIZERS)),
    "daily_limit": ("/phases/1", {"phase0-daily_limit": "9", "phase0-max_final_selections": "2"},
                    dict.fromkeys(STATES, ORGANIZERS)),
    "closes_at": ("/phases/1", {"phase0-daily_limit": "5", "phase0-max_final_selections": "2",
                                "phase0-closes_at": "2031-01-01T00:00"}, ORGANIZERS_ONLY),
    "decides_ranking": ("/phases/2/decides", {"choice": "yes"}, ORGANIZERS_ONLY),
}  # fmt: skip


def series_rows() -> dict:
    """What a change of the series' forms would change: its rows' fields."""
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Problem).where(Problem.series_id.is_not(None))
                              .order_by(Problem.id))  # fmt: skip
    return {r.slug: (r.title, r.daily_limit, r.closes_at, r.decides_ranking) for r in rows}


@pytest.fixture(scope="module")
def series_states(world, module_world):
    """The world's states with the series' rows in the same state as the problem."""
    states, problems = world["states"], world["problems"]
    for state in STATES:
        states.load(state)
        with unit_of_work():
            for row in db.session.scalars(sa.select(Problem).where(
                    Problem.series_id.is_not(None))):  # fmt: skip
                row.opens_at, row.closes_at = problems[state]["opens"], problems[state]["closes"]
        states.save(f"series-{state}")
    return world


NAMES = {
    "admin": "Ada Admin",
    "organizer": "Olive Organizer",
    "sponsor": "Sam Sponsor",
    "other_sponsor": "Oscar Other",
    "judge": "Jude Judge",
    "participant": "Pia Participant",
}


def web_client(module_app, module_world, role: str):
    """A browser logged in through the login form as the cast member playing ``role``."""
    client = module_app.test_client()
    if role != "anonymous":
        email = db.session.scalar(sa.select(User.email).where(User.name == NAMES[role]))
        answer = client.post("/login", data={"email": email, "password": PASSWORD})
        assert answer.status_code == 302, answer.text
    return client


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_each_series_field_answers_each_role_in_each_state(
    module_app, module_world, series_states, state, role
):
    slug = series_states["slug"]
    for name, (path, form, who) in SERIES_FORMS.items():
        series_states["states"].load(f"series-{state}")
        client = web_client(module_app, module_world, role)
        before = series_rows()
        answer = client.post(SERIES.format(slug=slug) + path, data=form)
        where = f"{name} as {role} when {state}"
        if role in who[state]:
            assert answer.status_code == 302, f"{where}: {answer.text[:300]}"
            assert series_rows() != before, f"{where}: nothing changed"
            continue
        if role == "anonymous":
            assert answer.status_code == 302 and "/login" in answer.location, where
        elif role in ORGANIZERS:  # refused by the state: said on the page, nothing kept
            assert answer.status_code == 200, f"{where}: {answer.status_code}"
            assert "reopen them" in answer.text, where
        else:
            assert answer.status_code == 403, f"{where}: {answer.status_code}"
        assert series_rows() == before, f"{where}: changed although refused"


@pytest.mark.parametrize("role", ["participant", "judge", "other_sponsor", "anonymous"])
def test_hidden_rows_of_a_series_stay_hidden(module_app, module_world, series_states, role):
    for state in STATES:
        series_states["states"].load(f"series-{state}")
        client = web_client(module_app, module_world, role)
        text = client.get(SERIES.format(slug=series_states["slug"])).text
        assert "phased-open" in text, state
        assert SECRET_TASK not in text and "phased-final" not in text and "본선" not in text
