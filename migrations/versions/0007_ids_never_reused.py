"""SQLite never reuses an id: rebuild every table with an integer id as AUTOINCREMENT

Without AUTOINCREMENT, SQLite gives a new row max(id)+1, so the id of a deleted newest
row (a team whose last member left, a removed file) went to the next row, and URLs,
audit entries and queued tasks naming it pointed at that other row. Each table is
copied into one declared AUTOINCREMENT (rows, keys, constraints and indexes kept);
copying the rows sets sqlite_sequence to the largest id. PostgreSQL's sequences never
go back: nothing to do there.

Revision ID: 0007_ids_never_reused
Revises: 0006_problem_judges
Create Date: 2026-12-06 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_ids_never_reused'
down_revision = '0006_problem_judges'
branch_labels = None
depends_on = None


def id_tables():
    """The tables that issue ids: one integer primary key column that is no foreign key."""
    inspector = sa.inspect(op.get_bind())
    tables = []
    for table in sorted(inspector.get_table_names()):
        key = inspector.get_pk_constraint(table)["constrained_columns"]
        columns = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        borrowed = {c for fk in inspector.get_foreign_keys(table) for c in fk["constrained_columns"]}
        if len(key) == 1 and isinstance(columns[key[0]], sa.Integer) and key[0] not in borrowed:
            tables.append(table)
    return tables


def rebuild(autoincrement):
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in id_tables():
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade():
    rebuild(True)


def downgrade():
    rebuild(False)
