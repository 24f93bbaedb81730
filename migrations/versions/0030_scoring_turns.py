"""teams: when a worker last took one of the team's submissions (the fair queue's turn)

Revision ID: 0030_scoring_turns
Revises: 0029_score_precision
Create Date: 2026-12-07 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0030_scoring_turns'
down_revision = '0029_score_precision'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('scoring_turn_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('scoring_turn_at')
