"""A big problem for the leaderboard benchmark, inserted in bulk.

Not a benchmark itself. Users, teams, scored submissions (a public and a private score
each) and the standings go in with multi-row ``INSERT``s; each team's standing is
built from its generated entries with the pure ranking rules ``refresh_standing`` uses
(``judge.leaderboard.ranking``), and a sample of teams is then rebuilt with the real
``refresh_standing`` to check that the bulk rows are what the platform itself writes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

import sqlalchemy as sa
from _common import line, timed

CHUNK = 20_000
CHECKED = 20  # teams rebuilt with refresh_standing to check the bulk standings


def build(instance, teams: int, submissions: int) -> dict:
    """The competition, problem and rows; returns the ids the measurements need."""
    from judge.core.extensions import db

    make = instance.make
    organizer = make.user(admin=True)
    competition = make.competition(organizer)
    solution = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(200))
    problem = make.problem(competition, metric="roc_auc", solution=solution)
    divisions = [d.id for d in competition.divisions]
    took, team_ids = timed(_teams, competition.id, divisions, teams)
    line(f"  insert {teams:,} users and teams", f"{took:.1f} s")
    took, entries = timed(_submissions, problem.id, team_ids, submissions)
    line(f"  insert {submissions:,} submissions, {2 * submissions:,} scores", f"{took:.1f} s")
    took, _ = timed(_standings, problem, entries, divisions, team_ids)
    line(f"  insert {len(entries):,} standings", f"{took:.1f} s")
    took, _ = timed(_check, problem.id, random.Random(3).sample(team_ids, CHECKED))
    line(f"  refresh_standing of {CHECKED} teams agrees", f"{took:.1f} s")
    ids = {
        "problem_id": problem.id,
        "problem_slug": problem.slug,
        "competition_slug": competition.slug,
        "division_id": divisions[0],
        "token": make.token(organizer),
    }
    db.session.remove()  # the measured requests start from an empty session
    return ids


def _chunks(rows: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, rows: list[dict]) -> None:
    """Core ``executemany`` on the session's connection (the ORM's bulk path is slower)."""
    from judge.core.extensions import db

    connection = db.session.connection()
    for chunk in _chunks(rows):
        connection.execute(model.__table__.insert(), chunk)


def _teams(competition_id: int, divisions: list[int], count: int) -> list[int]:
    from judge.accounts.models import User
    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.teams.models import Team

    now = utcnow()
    with unit_of_work():
        _insert(User, [{"email": f"bench{n}@bench.example", "name": f"Bench {n}",
                        "affiliation": "", "password_hash": "!", "is_admin": False,
                        "created_at": now} for n in range(count)])  # fmt: skip
        users = db.session.scalars(
            sa.select(User.id).where(User.email.like("bench%@bench.example")).order_by(User.id)
        ).all()
        _insert(Team, [{"competition_id": competition_id,
                        "division_id": divisions[n % len(divisions)],
                        "name": f"팀 {n:05d} Bench", "leader_id": user,
                        "invite_code": f"bench{n:027d}", "member_count": 1, "created_at": now}
                       for n, user in enumerate(users)])  # fmt: skip
        return db.session.scalars(
            sa.select(Team.id).where(Team.competition_id == competition_id).order_by(Team.id)
        ).all()


SUBMISSION_COLUMNS = ("id", "problem_id", "team_id", "filename", "description", "storage_key",
                      "size", "status", "quota_day", "counted", "validation", "selected",
                      "attempts", "worker", "created_at", "queued_at", "enqueued_at",
                      "started_at", "finished_at")  # fmt: skip
SCORE_COLUMNS = ("submission_id", "split", "value", "scored_at")


def _submissions(problem_id: int, team_ids: list[int], count: int) -> dict[int, list]:
    """Scored submissions spread over 30 days; the generated entries of each team."""
    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.leaderboard.ranking import Entry
    from judge.submissions.models import Submission

    rng = random.Random(7)
    start = utcnow().replace(microsecond=0) - timedelta(days=30)
    step = 30 * 86400 / max(count, 1)
    entries: dict[int, list[Entry]] = defaultdict(list)
    with unit_of_work():
        stamp = _stamps(db.session.connection().dialect.name)
        first = (db.session.scalar(sa.select(sa.func.max(Submission.id))) or 0) + 1
        for offset in range(0, count, CHUNK):
            subs, scores = [], []
            for n in range(offset, min(offset + CHUNK, count)):
                team, sid = team_ids[n % len(team_ids)], first + n
                when = start + timedelta(seconds=int(step * n))
                public, private = 0.5 + 0.5 * rng.random(), 0.5 + 0.5 * rng.random()
                at, done = stamp(when), stamp(when + timedelta(seconds=1))
                subs.append((sid, problem_id, team, "predictions.csv", "", "0" * 64, 1000,
                             "scored", when.date().isoformat(), True, False, False, 1, "bench",
                             at, at, at, at, done))  # fmt: skip
                scores += [(sid, "public", public, at), (sid, "private", private, at)]
                entries[team].append(Entry(sid, when, public, private))
            _raw_insert("submissions", SUBMISSION_COLUMNS, subs)
            _raw_insert("scores", SCORE_COLUMNS, scores)
        _advance_sequence("submissions")
    return entries


def _stamps(dialect: str):
    """A UTC timestamp as the column stores it (naive UTC; SQLAlchemy's text on SQLite)."""
    if dialect == "postgresql":
        return lambda when: when.replace(tzinfo=None)
    return lambda when: when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _raw_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """``COPY`` on PostgreSQL, ``executemany`` on SQLite, in the session's transaction."""
    from judge.core.extensions import db

    connection = db.session.connection()
    raw = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _advance_sequence(table: str) -> None:
    """Rows inserted with their ids leave PostgreSQL's id sequence behind: move it on."""
    from judge.core.extensions import db

    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))"))  # fmt: skip


def _standings(problem, entries: dict[int, list], divisions: list[int],
               team_ids: list[int]) -> None:  # fmt: skip
    """Each team's standing by the rules of ``refresh_standing`` (no final selections: the
    best public entries count, ranked by their private score)."""
    from judge.core.db import unit_of_work, utcnow
    from judge.leaderboard import ranking
    from judge.leaderboard.models import Standing

    now, higher = utcnow(), problem.higher_is_better
    division_of = {team: divisions[n % len(divisions)] for n, team in enumerate(team_ids)}
    rows = []
    for team, found in entries.items():
        best = ranking.best(found, lambda e: e.public, higher)
        finals, auto = ranking.finals(found, problem.max_final_selections, higher)
        final = ranking.best(finals, lambda e: e.private, higher)
        rows.append({"problem_id": problem.id, "team_id": team, "division_id": division_of[team],
                     "entries": len(found), "public_score": best.public,
                     "public_submission_id": best.submission_id,
                     "public_submitted_at": best.submitted_at, "private_score": final.private,
                     "final_score": final.private, "final_submission_id": final.submission_id,
                     "final_submitted_at": final.submitted_at, "auto_selected": auto,
                     "last_submitted_at": max(e.submitted_at for e in found),
                     "updated_at": now})  # fmt: skip
    with unit_of_work():
        _insert(Standing, rows)


COMPARED = ("entries", "public_score", "public_submission_id", "public_submitted_at",
            "private_score", "final_score", "final_submission_id", "auto_selected")  # fmt: skip


def _check(problem_id: int, team_ids: list[int]) -> None:
    """The real ``refresh_standing`` finds nothing to change in the bulk standings."""
    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.leaderboard.models import Standing
    from judge.leaderboard.services import refresh_standing
    from judge.problems.models import Problem
    from judge.teams.models import Team

    with unit_of_work():
        problem = db.session.get(Problem, problem_id)
        for team_id in team_ids:
            query = sa.select(Standing).where(Standing.problem_id == problem_id,
                                              Standing.team_id == team_id)  # fmt: skip
            before = {k: getattr(db.session.scalar(query), k) for k in COMPARED}
            after = refresh_standing(problem, db.session.get(Team, team_id), utcnow())
            if {k: getattr(after, k) for k in COMPARED} != before:
                raise SystemExit(f"bulk standing of team {team_id} differs: {before}")
