"""problems: a sponsor's problem goes to review; the notification kinds of the review

Revision ID: 0026_problem_review
Revises: 0025_competition_state
Create Date: 2026-12-07 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_problem_review'
down_revision = '0025_competition_state'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
BEFORE = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon',
          'shortlisted', 'handin_reminder', 'reproduction', 'results_published',
          'score_changed', 'notice', 'answer', 'problem_published', 'question_waiting',
          'judge_finished', 'problem_changed', 'team_action', 'team_member_removed',
          'merge_requested', 'merge_declined', 'teams_merged')
NEW = ('problem_review_requested', 'problem_sent_back')
TABLES = {'notifications': 'notification_kind',
          'notification_preferences': 'notification_preference_kind'}


def _allow(kinds):
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, sa.column('kind').in_(kinds))


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('review_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=True))
    _allow(BEFORE + NEW)


def downgrade():
    for table in TABLES:
        kinds = ', '.join(f"'{kind}'" for kind in NEW)
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind IN ({kinds})"))
    _allow(BEFORE)
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('review_comment')
        batch_op.drop_column('review_requested_at')
