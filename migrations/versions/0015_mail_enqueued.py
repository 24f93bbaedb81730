"""mail: when each message was last handed to the queue (none: the sweep hands it again)

Revision ID: 0015_mail_enqueued
Revises: 0014_email_verified
Create Date: 2026-12-06 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_mail_enqueued'
down_revision = '0014_email_verified'
branch_labels = None
depends_on = None

# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('outgoing_mail', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('enqueued_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE outgoing_mail SET enqueued_at = created_at")


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('enqueued_at')
