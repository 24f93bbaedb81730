"""competitions: a state (draft, published, archived); the competitions that exist are published

Revision ID: 0025_competition_state
Revises: 0024_team_lifecycle
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_competition_state'
down_revision = '0024_team_lifecycle'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('competitions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('draft', 'published', 'archived',
                                                       name='competition_state',
                                                       native_enum=False, create_constraint=True,
                                                       length=32),
                                      nullable=False, server_default='published'))
    with op.batch_alter_table('competitions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.alter_column('state', server_default=None)


def downgrade():
    with op.batch_alter_table('competitions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_competitions_competition_state'), type_='check')
        batch_op.drop_column('state')
