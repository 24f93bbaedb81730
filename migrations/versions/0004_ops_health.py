"""operations: worker heartbeats, a failure reason and run time per submission

Revision ID: 0004_ops_health
Revises: 0003_scoring_programs
Create Date: 2026-11-28 15:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_ops_health'
down_revision = '0003_scoring_programs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeats')),
    sa.UniqueConstraint('name', name=op.f('uq_worker_heartbeats_name'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('run_seconds', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('run_seconds')
        batch_op.drop_column('failure_reason')
    op.drop_table('worker_heartbeats')
