"""accounts: when each address was shown to belong to its owner

Revision ID: 0014_email_verified
Revises: 0013_notices_and_questions
Create Date: 2026-12-06 21:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_email_verified'
down_revision = '0013_notices_and_questions'
branch_labels = None
depends_on = None

# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    # Accounts from before verification existed keep working: they count as verified.
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('email_verified_at')
