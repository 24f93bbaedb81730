"""phase names: each phase of a series has a name of its own (예선, 본선)

Revision ID: 0037_phase_names
Revises: 0036_problem_series
Create Date: 2026-12-07 18:40:00.000000

A row of a series carries its phase's name (every row of a phase the same); a problem on its
own has none. Rows made before this revision have none and are shown as "Phase N".
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0037_phase_names'
down_revision = '0036_problem_series'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('phase_name', sa.String(length=100), nullable=True))
        batch_op.create_check_constraint('phase_name_in_series',
                                         'phase_name IS NULL OR series_id IS NOT NULL')


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_problems_phase_name_in_series'), type_='check')
        batch_op.drop_column('phase_name')
