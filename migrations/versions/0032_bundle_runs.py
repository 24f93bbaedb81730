"""bundle runs: the scoring program's own wall-clock limit (a bundle's execution_time_limit),
and the bundle's own solution, run as the baseline

Revision ID: 0032_bundle_runs
Revises: 0031_baseline_runs
Create Date: 2026-12-07 12:45:00.000000

Existing problems keep the operator's limit and have no bundle solution (NULL), so nothing
running changes.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0032_bundle_runs'
down_revision = '0031_baseline_runs'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('scoring_wall_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('bundle_solution_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('bundle_solution_name', sa.String(length=200),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('bundle_solution_name')
        batch_op.drop_column('bundle_solution_key')
        batch_op.drop_column('scoring_wall_seconds')
