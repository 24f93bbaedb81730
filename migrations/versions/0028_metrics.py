"""problems: the built-in metric's own settings (K of a ranked list, a forecast's season,
the quantiles of a pinball loss)

Revision ID: 0028_metrics
Revises: 0027_bundles
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_metrics'
down_revision = '0027_bundles'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('metric_options', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('metric_options')
