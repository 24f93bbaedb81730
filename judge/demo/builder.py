"""Loading the demo competition through the real services.

``load`` is idempotent: when the competition's slug exists it changes
nothing, and accounts whose email is taken are reused as they are. Run it
inside one ``unit_of_work`` so a failure leaves no half-built demo.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from judge.accounts import consent
from judge.accounts import services as accounts
from judge.accounts.models import User
from judge.competitions import services as competitions
from judge.competitions import states
from judge.competitions.models import Competition, Role, Sponsor
from judge.core import storage
from judge.core.db import utcnow
from judge.core.extensions import db
from judge.demo import content, datasets
from judge.notices import services as notices
from judge.problems import code, programs
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.teams import services as teams

log = logging.getLogger(__name__)
PROGRAMS = Path(__file__).resolve().parent / "programs"


@dataclass(frozen=True)
class Outcome:
    created: bool
    reused_emails: tuple[str, ...] = ()  # accounts that existed before and kept their password
    queued: tuple[int, ...] = ()  # submissions for the worker to score once committed


def load(password: str, now: datetime) -> Outcome:
    """Create the demo competition unless it is already there."""
    if demo_exists():
        return Outcome(created=False)
    users, reused = ensure_accounts(password)
    competition = create_competition(users["admin"], now)
    states.publish(competition, users["admin"])
    add_divisions(competition)
    appoint_staff(competition, users)
    for spec in content.SPONSORS:
        add_sponsor(competition, spec, users[spec.member], users["organizer"], now)
    for spec in content.TEAMS:
        add_team(competition, spec, users, now)
    from judge.demo import finals, history  # this year's first week; last year's finals

    problem = db.session.scalar(sa.select(Problem).filter_by(
        competition_id=competition.id, slug=content.BREAST_CANCER.slug))  # fmt: skip
    add_notice_and_answer(competition, users, now)
    uploads = history.load(problem, users, now) + finals.load(users, now)
    queued = tuple(s.id for s in uploads)
    log.info("loaded the demo competitions %s and %s", competition.slug, finals.SLUG)
    return Outcome(created=True, reused_emails=reused, queued=queued)


def add_notice_and_answer(competition: Competition, users: dict[str, User], now: datetime) -> None:
    """A pinned notice, and a participant's question answered and published by the organizer;
    the participant has both in their notifications."""
    organizer = users["organizer"]
    notice = notices.post_notice(competition, organizer, now - timedelta(days=2), pinned=True,
                                 title=content.NOTICE_TITLE, body=content.NOTICE_BODY)  # fmt: skip
    notices.notify_participants(notice, [users["participant1"]], now - timedelta(days=2))
    asked = notices.ask(competition, users["participant1"], now - timedelta(days=1),
                        title=content.QUESTION_TITLE, body=content.QUESTION_BODY, problem=None,
                        per_day=1)  # fmt: skip
    notices.answer(asked, organizer, now - timedelta(hours=20), text=content.QUESTION_ANSWER,
                   publish=True)  # fmt: skip


def demo_exists() -> bool:
    found = db.session.scalar(sa.select(Competition.id).where(Competition.slug == content.SLUG))
    return found is not None


def ensure_accounts(password: str) -> tuple[dict[str, User], tuple[str, ...]]:
    """Every demo account by key, creating the missing ones; also the emails reused."""
    users: dict[str, User] = {}
    reused: list[str] = []
    for account in content.ACCOUNTS:
        existing = accounts.user_by_email(account.email)
        if existing is not None:
            reused.append(account.email)
        users[account.key] = existing or register(account, password)
    return users, tuple(reused)


def register(account: content.Account, password: str) -> User:
    """A demo account, as if its person had signed up: verified, the notice accepted."""
    user = accounts.register(
        account.email, account.name, password, account.affiliation, is_admin=account.admin
    )
    consent.accept_at_sign_up(user, False, utcnow())
    return user


def create_competition(creator: User, now: datetime) -> Competition:
    """The competition: registration and submissions already open, results in eight weeks."""
    return competitions.create_competition(
        slug=content.SLUG,
        title=content.TITLE,
        actor=creator,
        description=content.DESCRIPTION,
        rules=content.RULES,
        timezone=content.TIMEZONE,
        max_team_size=content.MAX_TEAM_SIZE,
        registration_opens_at=local_day(now, -14, 10),
        registration_closes_at=local_day(now, 35, 18),
        team_change_deadline=local_day(now, 35, 18),
        submissions_open_at=local_day(now, -7, 10),
        submissions_close_at=local_day(now, 42, 18),
        results_at=local_day(now, 56, 14),
    )


def local_day(now: datetime, days: int, hour: int) -> datetime:
    """``hour`` o'clock in the competition's timezone, ``days`` from ``now``, as UTC."""
    local = now.astimezone(ZoneInfo(content.TIMEZONE)) + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0).astimezone(UTC)


def add_divisions(competition: Competition) -> None:
    for name, eligibility in content.DIVISIONS:
        competitions.add_division(competition, name, eligibility)


def appoint_staff(competition: Competition, users: dict[str, User]) -> None:
    competitions.assign_role(competition, users["organizer"].email, Role.ORGANIZER, users["admin"])
    competitions.assign_role(competition, users["judge"].email, Role.JUDGE, users["admin"])


def add_sponsor(
    competition: Competition,
    spec: content.SponsorSpec,
    member: User,
    organizer: User,
    now: datetime,
) -> Sponsor:
    """The sponsor, its member, and its published problems (set up by the organizer with the
    sponsor's data: the split is the organizers')."""
    sponsor = competitions.add_sponsor(competition, spec.name, spec.website, spec.description)
    competitions.add_sponsor_member(sponsor, member.email, organizer)
    for problem in spec.problems:
        add_problem(competition, sponsor, problem, organizer, now)
    return sponsor


def add_problem(
    competition: Competition,
    sponsor: Sponsor,
    spec: content.ProblemSpec,
    actor: User,
    now: datetime,
) -> Problem:
    data = spec.data()
    limit = problems.max_solution_bytes()
    with storage.staged(io.BytesIO(data.solution), limit, "solution") as upload:
        problem = problems.create_problem(
            competition,
            sponsor,
            slug=spec.slug,
            solution_upload=upload,
            solution_filename="solution.csv",
            actor=actor,
            **problem_settings(spec, data),
        )
    files = data.public_files()
    if spec.starter_code:
        take_code(problem, files.pop("test.csv"))
        files["starter_code.zip"] = zipped(PROGRAMS / spec.starter_code)
    for filename, body in files.items():
        add_public_file(problem, filename, body)
    if spec.program:
        attach_program(problem, spec)
    return problems.publish(problem, now)


def zipped(folder: Path) -> bytes:
    """The .py and .yaml files of ``folder`` as a zip, as a sponsor or a team would make it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in (".py", ".yaml"):
                archive.write(path, path.name)
    return buffer.getvalue()


def take_code(problem: Problem, test_inputs: bytes) -> None:
    """Teams submit code that runs on the test inputs, which stay hidden."""
    limit = problems.max_solution_bytes()
    with storage.staged(io.BytesIO(test_inputs), limit, "test inputs") as upload:
        code.take_code(problem, upload, "test.csv", {"wall_seconds": 120, "cpu_seconds": 120})


def attach_program(problem: Problem, spec: content.ProblemSpec) -> None:
    """The sponsor's scoring program from judge/demo/programs, zipped as a sponsor would."""
    buffer = io.BytesIO(zipped(PROGRAMS / spec.program))
    with storage.staged(buffer, problems.max_solution_bytes(), "program") as upload:
        programs.attach_program(problem, upload, f"{spec.program}.zip", list(spec.columns))


def problem_settings(spec: content.ProblemSpec, data: datasets.ProblemData) -> dict[str, Any]:
    return {
        "title": spec.title,
        "description": spec.description,
        "metric": spec.metric,
        "metric_options": spec.metric_options,
        "id_column": datasets.ID_COLUMN,
        "prediction_columns": list(data.target_columns),
        "daily_limit": content.DAILY_LIMIT,
        "max_final_selections": content.MAX_FINAL_SELECTIONS,
        **spec.split,
    }


def add_public_file(problem: Problem, filename: str, body: bytes) -> None:
    limit = problems.max_public_file_bytes()
    with storage.staged(io.BytesIO(body), limit, filename) as upload:
        problems.add_public_file(
            problem, upload, filename, content.FILE_DESCRIPTIONS.get(filename, "")
        )


def add_team(
    competition: Competition, spec: content.TeamSpec, users: dict[str, User], now: datetime
) -> None:
    """Members accept the rules; the first creates the team, the others join by invite code."""
    members = [users[key] for key in spec.members]
    for member in members:
        competitions.accept_rules(competition, member, now)
    division = next(d for d in competition.divisions if d.name == spec.division)
    team = teams.create_team(competition, division, spec.name, members[0], now)
    for member in members[1:]:
        teams.join_team(competition, team.invite_code, member, now)
