"""operations: when each submission last began to wait for a worker (for /health)

Revision ID: 0007_ops
Revises: 0006_problem_judges
Create Date: 2026-12-06 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_ops'
down_revision = '0006_problem_judges'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE submissions SET queued_at = COALESCE(rescored_at, created_at)")
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.alter_column('queued_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('queued_at')
