"""One competition with a person in every role, another competition, and scored submissions."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade

from judge import create_app
from judge.competitions.models import Role
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notices import services as notices
from judge.problems import series
from judge.problems import services as problems
from judge.submissions import baseline
from tests.conftest import PASSWORD, IsolatedClient, _config
from tests.factories import Factories
from tests.submissions.helpers import score, submit
from tests.web.conftest import Cast, as_role, build_cast, cast  # noqa: F401 (fixtures)

# A participant's question nobody else may read before staff publish it.
PRIVATE_QUESTION = "Leaky question"
# Values that exist only in hidden places: private scores and the solution's labels.
PRIVATE_A, PRIVATE_B, PRIVATE_BASELINE = 0.918273, 0.827364, 0.736455
HIDDEN_PRIVATE = ("0.918273", "0.827364", "0.736455")
HIDDEN_SOLUTION = "secret-1"
A_FILE = b"id,label\n1,0\n# pia-only-content\n"
B_FILE = b"id,label\n1,1\n# rita-only-content\n"
BASELINE_FILE = b"id,label\n1,1\n# baseline-only-content\n"
SERIES_TRUTH = b"id,label\n" + b"".join(f"{i},{i % 2}\n".encode() for i in range(1, 41))


@pytest.fixture
def world(cast: Cast, make) -> Cast:  # noqa: F811 (the fixture)
    return add_world(cast, make)


@pytest.fixture(scope="module")
def module_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Like ``app``, but one for a whole module, always on a SQLite file of its own.

    The authorization matrix restores that file between state-changing requests; who may
    do what is decided in the app, not the database, so both test passes use SQLite here.
    """
    tmp = tmp_path_factory.mktemp("module")
    database = tmp / "judge.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUDGE_INSTANCE_PATH", str(tmp / "instance"))
        app = create_app(_config(tmp, f"sqlite:///{database}", None))
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def module_world(module_app: Flask) -> tuple[Cast, Factories]:
    make = Factories(PASSWORD)
    return add_world(build_cast(make), make), make


def add_world(base: Cast, make) -> Cast:
    """The web tests' cast, plus what the security tests need on top.

    - ``other_organizer`` runs another competition with a published problem ``foreign``;
    - team A (``participant``) and team B (``rival``) each have a scored submission
      (private scores not revealed) and team A a queued one;
    - the organizer's baseline run on the problem (a submission of no team) scored;
    - ``newcomer`` holds no role anywhere (to be appointed in requests);
    - the organizer posted a notice, and ``participant`` asked an unanswered question
      about the problem;
    - a problem with phases ``phased``: phase 1 (예선, deciding the ranking) with a published
      task row and a draft task row (``SECRET_TASK``, only its managers may see it), phase 2
      (본선) a draft.
    """
    people = base.people
    people["other_organizer"] = make.user(name="Olga Elsewhere")
    people["newcomer"] = make.user(name="Nina Newcomer")
    elsewhere = make.competition(people["other_organizer"], slug="elsewhere")
    base.foreign = make.problem(elsewhere, slug="foreign")
    base.elsewhere = elsewhere
    base.sub_a = score(
        submit(base.problem, people["participant"], A_FILE, "pia.csv"), 0.5, PRIVATE_A
    )
    base.sub_b = score(submit(base.problem, people["rival"], B_FILE, "rita.csv"), 0.6, PRIVATE_B)
    base.queued_a = submit(base.problem, people["participant"], A_FILE, "pia-queued.csv")
    base.baseline = score(_baseline(base.problem, people["organizer"]), 0.4, PRIVATE_BASELINE)
    base.judge_role = next(r for r in base.competition.roles if r.role == Role.JUDGE)
    with unit_of_work():
        base.notice = notices.post_notice(base.competition, people["organizer"], utcnow(),
                                          title="Welcome", body="Hello")  # fmt: skip
        base.question = notices.ask(base.competition, people["participant"], utcnow(),
                                    title=PRIVATE_QUESTION, body="Row 7 matches the answers.",
                                    problem=base.problem, per_day=1)  # fmt: skip
    base.series = _series(base.competition, people["organizer"])
    return base


SECRET_TASK = "phased-secret-task"


def _series(competition, organizer):
    with unit_of_work():
        made = series.create_series(competition, slug="phased", title="Phased problem",
                                    actor=organizer)  # fmt: skip
    for slug, add in (("phased-open", series.add_phase), (SECRET_TASK, None)):
        with unit_of_work(), storage.staged(io.BytesIO(SERIES_TRUTH), 10**6, "s") as staged:
            common = {"slug": slug, "solution_upload": staged, "actor": organizer,
                      "solution_filename": "truth.csv"}  # fmt: skip
            if add is None:
                series.add_task(made, 0, **common)
            else:
                add(made, sponsor=competition.sponsors[0], metric="accuracy", phase_name="예선",
                    **common)  # fmt: skip
    with unit_of_work(), storage.staged(io.BytesIO(SERIES_TRUTH), 10**6, "s") as staged:
        series.add_phase(made, slug="phased-final", solution_upload=staged, actor=organizer,
                         solution_filename="truth.csv", phase_name="본선")  # fmt: skip
    with unit_of_work():
        problems.publish(series.rows(made)[0], utcnow())
    return made


def _baseline(problem, organizer):
    with unit_of_work(), storage.staged(io.BytesIO(BASELINE_FILE), 10**6, "b") as staged:
        return baseline.run(problem, staged, "baseline-run.csv", organizer, utcnow())
