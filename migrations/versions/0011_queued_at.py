"""operations: when each submission last began to wait for a worker (for /health)

Revision ID: 0011_queued_at
Revises: 0010_sessions_and_throttle
Create Date: 2026-12-06 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_queued_at'
down_revision = '0010_sessions_and_throttle'
branch_labels = None
depends_on = None

# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE submissions SET queued_at = COALESCE(rescored_at, created_at)")
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column('queued_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('queued_at')
