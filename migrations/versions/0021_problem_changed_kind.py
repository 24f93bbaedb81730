"""problem_changed: organizers hear when a sponsor changes a published problem's settings

The notification kinds are VARCHAR with a named CHECK constraint listing the values; both
tables' constraints gain the new kind (and lose it again on downgrade, with its rows).

Revision ID: 0021_problem_changed_kind
Revises: 0020_judging
Create Date: 2026-12-06 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_problem_changed_kind'
down_revision = '0020_judging'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
BEFORE = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon',
          'shortlisted', 'handin_reminder', 'reproduction', 'results_published',
          'score_changed', 'notice', 'answer', 'problem_published', 'question_waiting',
          'judge_finished')
AFTER = BEFORE + ('problem_changed',)
TABLES = {'notifications': 'notification_kind',
          'notification_preferences': 'notification_preference_kind'}


def _allow(kinds):
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, sa.column('kind').in_(kinds))


def upgrade():
    _allow(AFTER)


def downgrade():
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind = 'problem_changed'"))
    _allow(BEFORE)
