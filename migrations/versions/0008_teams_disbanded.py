"""teams are disbanded, never deleted; names unique among standing teams; a person's quota

Revision ID: 0008_teams_disbanded
Revises: 0007_ids_never_reused
Create Date: 2026-12-06 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_teams_disbanded'
down_revision = '0007_ids_never_reused'
branch_labels = None
depends_on = None

STANDING = sa.text('disbanded_at IS NULL')
# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('disbanded_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f('uq_teams_competition_id_name'), type_='unique')
        batch_op.create_index('uq_teams_standing_name', ['competition_id', 'name'], unique=True,
                              sqlite_where=STANDING, postgresql_where=STANDING)

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_user_problem', ['user_id', 'problem_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_user_problem')

    # Disbanded teams stay; each keeps a name of its own so the old constraint holds.
    op.execute("UPDATE teams SET name = substr(name, 1, 80) || ' #' || id"
               " WHERE disbanded_at IS NOT NULL")
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index('uq_teams_standing_name')
        batch_op.create_unique_constraint(op.f('uq_teams_competition_id_name'),
                                          ['competition_id', 'name'])
        batch_op.drop_column('disbanded_at')
