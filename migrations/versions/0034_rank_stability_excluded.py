"""rank stability: a finalist left out of the bootstrap keeps a row with the reason

Revision ID: 0034_rank_stability_excluded
Revises: 0033_board_versions
Create Date: 2026-12-07 15:40:00.000000

The bootstrap now reads each finalist's file in the sandbox; a file that fails there is
stored with the reason (``excluded``) and no interval. Existing rows all have an interval.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0034_rank_stability_excluded'
down_revision = '0033_board_versions'
branch_labels = None
depends_on = None

INTERVAL = ('rank_low', 'rank_high', 'p_first', 'resamples')
TYPES = {'rank_low': sa.Integer(), 'rank_high': sa.Integer(), 'p_first': sa.Double(),
         'resamples': sa.Integer()}
CHECK = ("(excluded IS NULL) = (rank_low IS NOT NULL AND rank_high IS NOT NULL"
         " AND p_first IS NOT NULL AND resamples IS NOT NULL)")


def upgrade():
    with op.batch_alter_table('rank_stability', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excluded', sa.String(length=2000), nullable=True))
        for name in INTERVAL:
            batch_op.alter_column(name, existing_type=TYPES[name], nullable=True)
        batch_op.create_check_constraint(op.f('ck_rank_stability_interval_or_reason'), CHECK)


def downgrade():
    op.execute("DELETE FROM rank_stability WHERE excluded IS NOT NULL")
    with op.batch_alter_table('rank_stability', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rank_stability_interval_or_reason'), type_='check')
        for name in INTERVAL:
            batch_op.alter_column(name, existing_type=TYPES[name], nullable=False)
        batch_op.drop_column('excluded')
