"""board versions: a token on each problem that changes whenever one of its boards may change

Revision ID: 0033_board_versions
Revises: 0032_bundle_runs
Create Date: 2026-12-07 13:00:00.000000

Written in the same transaction as any standing of the problem or any team of its
competition (judge.leaderboard.versions); the leaderboards keep a ranked board per process
and rebuild it only when the token they read differs. Existing problems start at 0.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0033_board_versions'
down_revision = '0032_bundle_runs'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('board_version', sa.BigInteger(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('board_version')
