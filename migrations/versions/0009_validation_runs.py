"""code submissions: validation inputs and runs, the team's output of a validation run

Revision ID: 0009_validation_runs
Revises: 0008_teams_disbanded
Create Date: 2026-12-06 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_validation_runs'
down_revision = '0008_teams_disbanded'
branch_labels = None
depends_on = None

# SQLite rebuilds a table for some of these: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('validation_inputs_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('validation_inputs_filename', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('validation_daily_limit', sa.Integer(), server_default='5', nullable=False))
        batch_op.create_check_constraint('validation_daily_limit_positive', 'validation_daily_limit >= 1')

    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('validation', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('output', sa.Text(), nullable=True))

    with op.batch_alter_table('submission_quotas', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('validation_day', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('validation_count', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('submission_quotas', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('validation_count')
        batch_op.drop_column('validation_day')

    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('output')
        batch_op.drop_column('validation')

    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_problems_validation_daily_limit_positive'), type_='check')
        batch_op.drop_column('validation_daily_limit')
        batch_op.drop_column('validation_inputs_filename')
        batch_op.drop_column('validation_inputs_key')
