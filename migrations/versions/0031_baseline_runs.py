"""baseline runs: submissions of no team with their scoring setup; problems that wait for one

Revision ID: 0031_baseline_runs
Revises: 0030_scoring_turns
Create Date: 2026-12-07 05:30:00.000000

Existing problems need no baseline run (baseline_required false), so nothing running changes.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0031_baseline_runs'
down_revision = '0030_scoring_turns'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('setup', sa.String(length=64), nullable=True))
        batch_op.alter_column('team_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('baseline_required', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    op.execute("DELETE FROM submissions WHERE team_id IS NULL")
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('baseline_required')
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column('team_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('setup')
