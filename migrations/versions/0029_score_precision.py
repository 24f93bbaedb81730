"""problems: the number of decimals every score of the problem is shown with

Revision ID: 0029_score_precision
Revises: 0028_metrics
Create Date: 2026-12-07 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_score_precision'
down_revision = '0028_metrics'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(
            sa.Column('score_decimals', sa.Integer(), server_default='5', nullable=False)
        )
        batch_op.create_check_constraint(
            'score_decimals_range', 'score_decimals BETWEEN 0 AND 10'
        )


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_problems_score_decimals_range'), type_='check')
        batch_op.drop_column('score_decimals')
