"""accounts: when an account was deleted at its owner's request

Revision ID: 0016_profile
Revises: 0015_mail_enqueued
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_profile'
down_revision = '0015_mail_enqueued'
branch_labels = None
depends_on = None

# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('deleted_at')
