"""phase_carried: teams hear that their entry was carried to the next phase

Revision ID: 0038_phase_carried
Revises: 0037_phase_names
Create Date: 2026-12-07 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0038_phase_carried'
down_revision = '0037_phase_names'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
BEFORE = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon',
          'shortlisted', 'handin_reminder', 'reproduction', 'results_published',
          'score_changed', 'notice', 'answer', 'problem_published', 'question_waiting',
          'judge_finished', 'problem_changed', 'team_action', 'team_member_removed',
          'merge_requested', 'merge_declined', 'teams_merged',
          'problem_review_requested', 'problem_sent_back', 'scoring_failed')
NEW = ('entry_carried',)
TABLES = {'notifications': 'notification_kind',
          'notification_preferences': 'notification_preference_kind'}


def _allow(kinds):
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, sa.column('kind').in_(kinds))


def upgrade():
    _allow(BEFORE + NEW)


def downgrade():
    for table in TABLES:
        kinds = ', '.join(f"'{kind}'" for kind in NEW)
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind IN ({kinds})"))
    _allow(BEFORE)
