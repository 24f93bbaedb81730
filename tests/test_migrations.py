"""Migrations are the schema: one head, no drift from the models, down and up again.

These run on the configured database: SQLite, or PostgreSQL in the production pass.
"""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateTable

from judge import create_app
from judge.competitions.models import Competition
from judge.core.extensions import db, migrate
from judge.teams.models import Membership, Team
from tests.conftest import PASSWORD
from tests.factories import Factories


def script_directory(app) -> ScriptDirectory:
    config = migrate.get_config(app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config)


def test_there_is_exactly_one_head(app):
    assert len(script_directory(app).get_heads()) == 1


def test_models_and_migrations_do_not_differ(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_downgrade_to_empty_and_upgrade_again(app):
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    with db.engine.connect() as connection:
        assert "memberships" in db.inspect(connection).get_table_names()


@pytest.fixture
def empty_database_url(tmp_path, postgres):
    """A database with nothing in it: not even alembic's version table."""
    if postgres is None:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = postgres.create()
    yield postgres.url(name)
    postgres.drop(name)


def empty_app(empty_database_url, tmp_path, monkeypatch):
    """An app on the empty database (no schema yet), with its own instance and storage."""
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x",
                       "STORAGE_DIR": str(tmp_path / "storage"),
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})  # fmt: skip


def user_tables() -> set[str]:
    with db.engine.connect() as connection:
        return set(db.inspect(connection).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_down_to_empty_and_up_again(empty_database_url, tmp_path, monkeypatch):
    app = empty_app(empty_database_url, tmp_path, monkeypatch)
    with app.app_context():
        assert user_tables() == set()
        upgrade()
        assert {"users", "competitions", "submissions", "scores"} <= user_tables()
        Factories(PASSWORD).competition()  # the upgraded schema takes real rows
        downgrade(revision="base")
        assert user_tables() == set()
        upgrade()
        assert Factories(PASSWORD).competition().divisions
        db.session.remove()
        db.engine.dispose()


def test_database_refuses_two_teams_for_one_person(app, make):
    """The invariant holds even for code that skips the services."""
    competition = make.competition()
    first = make.team(competition)
    second = make.team(competition)
    db.session.add(
        Membership(team_id=second.id, competition_id=competition.id, user_id=first.leader_id)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def schema() -> dict[str, dict]:
    """Every table's columns, keys, constraints and indexes, as the database reports them."""
    inspector = db.inspect(db.engine)
    shape = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        shape[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c["default"])
                        for c in inspector.get_columns(table)],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted((fk["name"], tuple(fk["constrained_columns"]),
                                    fk["referred_table"], fk["options"].get("ondelete"))
                                   for fk in inspector.get_foreign_keys(table)),
            "unique": sorted((u["name"], tuple(u["column_names"]))
                             for u in inspector.get_unique_constraints(table)),
            "checks": sorted((c["name"], " ".join(c["sqltext"].split()))
                             for c in inspector.get_check_constraints(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
        }  # fmt: skip
    return shape


def rows() -> dict[str, list]:
    tables = sorted(set(db.inspect(db.engine).get_table_names()) - {"alembic_version"})
    with db.engine.connect() as connection:
        return {table: sorted(map(tuple, connection.execute(sa.text(f'SELECT * FROM "{table}"'))),
                              key=repr)
                for table in tables}  # fmt: skip


def autoincrement_tables() -> set[str]:
    with db.engine.connect() as connection:
        found = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'")
        return {name for name, sql in found if "AUTOINCREMENT" in sql}


def tables_the_models_declare_autoincrement() -> set[str]:
    """What a table created from the models would say (new migrations must say it too)."""
    dialect = sqlite.dialect()
    return {table.name for table in db.metadata.sorted_tables
            if "AUTOINCREMENT" in str(CreateTable(table).compile(dialect=dialect))}  # fmt: skip


def test_ids_are_never_reused_after_upgrading_a_database_that_holds_data(
    empty_database_url, tmp_path, monkeypatch
):
    """0007 rebuilds SQLite's tables with AUTOINCREMENT and keeps every row and constraint."""
    app = empty_app(empty_database_url, tmp_path, monkeypatch)
    with app.app_context():
        # The rows are made with today's models, then the schema is taken back to 0006.
        upgrade()
        make = Factories(PASSWORD)
        competition = make.competition()
        make.team(competition)
        newest = make.team(competition)
        competition_id, newest_id, leader_id = competition.id, newest.id, newest.leader_id
        db.session.remove()
        downgrade(revision="0006_problem_judges")
        before_rows, before_schema = rows(), schema()

        upgrade(revision="0007_ids_never_reused")
        assert rows() == before_rows
        assert schema() == before_schema
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                sequence = dict(
                    connection.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all()
                )
            assert sequence["teams"] == newest_id and sequence["users"] >= leader_id

        upgrade()
        if db.engine.dialect.name == "sqlite":
            assert autoincrement_tables() == tables_the_models_declare_autoincrement()
        db.session.delete(db.session.get(Team, newest_id))
        db.session.commit()
        assert make.team(db.session.get(Competition, competition_id)).id > newest_id
        db.session.remove()
        db.engine.dispose()


def problem_and_submission_rows() -> dict[str, list]:
    kept = rows()
    return {table: kept[table] for table in ("problems", "solutions", "submissions", "scores")}


def test_problem_series_migration_keeps_every_problem_and_submission_as_it_was(
    empty_database_url, tmp_path, monkeypatch
):
    """0036 adds series, phases and the split "all" (0037 names phases); existing problems and
    submissions keep every value, and read back as problems on their own that decide their own
    ranking."""
    from judge.problems.models import Carry, Problem, SplitMethod
    from judge.submissions.models import Submission
    from tests.submissions.helpers import scored

    app = empty_app(empty_database_url, tmp_path, monkeypatch)
    with app.app_context():
        upgrade()
        make = Factories(PASSWORD)
        competition = make.competition()
        by_usage = make.problem(competition, split_method="usage_column",
                                solution="id,label,Usage\n1,0,Public\n2,1,Private\n")  # fmt: skip
        by_hash = make.problem(competition, public_fraction=0.5, daily_limit=None,
                               solution="".join(["id,label\n"] + [f"{i},{i % 2}\n"
                                                                  for i in range(40)]))  # fmt: skip
        team = make.team(competition)
        scored(by_hash, team.leader, 0.75, 0.5)
        ids = (by_usage.id, by_hash.id)
        db.session.remove()
        downgrade(revision="0035_both_kinds")
        before = problem_and_submission_rows()

        upgrade(revision="0036_problem_series")
        after = problem_and_submission_rows()
        for table, old_rows in before.items():
            assert [row[: len(old_rows[0])] for row in after[table]] == old_rows, table
        upgrade()  # the models read the later columns too (0037: no phase name on its own)
        for problem_id in ids:
            problem = db.session.get(Problem, problem_id)
            assert (problem.series_id, problem.phase_index, problem.task_index) == (None,) * 3
            assert problem.phase_name is None
            assert (problem.carry, problem.carry_top_n) == (Carry.NONE, None)
            assert problem.decides_ranking and not problem.scoring_only
        assert db.session.get(Problem, ids[0]).split_method == SplitMethod.USAGE_COLUMN
        assert db.session.get(Problem, ids[1]).public_fraction == 0.5
        submission = db.session.scalars(sa.select(Submission)).one()
        assert (submission.parent_id, submission.carried_from_id) == (None, None)
        assert (submission.public_score, submission.private_score) == (0.75, 0.5)
        db.session.remove()
        db.engine.dispose()


def test_downgrade_below_series_refuses_to_lose_a_problem_scored_on_all_rows(app, make,
                                                                             capfd):  # fmt: skip
    from judge.problems.models import SplitMethod

    problem = make.problem(make.competition(), split_method=SplitMethod.ALL, public_fraction=None)
    db.session.commit()
    downgrade(revision="0036_problem_series")  # below the phase names: nothing to lose here
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits 1
        downgrade(revision="0035_both_kinds")
    assert "1 problems or series score on all rows or form a series" in capfd.readouterr().err
    with db.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == "0036_problem_series"
    upgrade()
    db.session.rollback()
    assert db.session.get(type(problem), problem.id).split_method == SplitMethod.ALL
