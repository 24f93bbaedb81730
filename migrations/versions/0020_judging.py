"""finals: judges' written comments (심사평) and whether teams read them after publication

Revision ID: 0020_judging
Revises: 0019_consent
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_judging'
down_revision = '0019_consent'
branch_labels = None
depends_on = None

# SQLite rebuilds the table: it must stay AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    op.create_table('judge_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finalist_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['finalist_id'], ['finalists.id'], name=op.f('fk_judge_comments_finalist_id_finalists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_judge_comments_judge_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_comments')),
    sa.UniqueConstraint('finalist_id', 'judge_id', name=op.f('uq_judge_comments_finalist_id_judge_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('judge_comments', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_comments_finalist_id'), ['finalist_id'], unique=False)
    with op.batch_alter_table('finals_settings', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('comments_to_teams', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('finals_settings', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('comments_to_teams')
    with op.batch_alter_table('judge_comments', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_comments_finalist_id'))
    op.drop_table('judge_comments')
