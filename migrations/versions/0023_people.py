"""people of a competition: organizers disqualify a team; members hear of team actions

Teams gain disqualified_at and disqualified_reason. The notification kinds are VARCHAR with
a named CHECK constraint listing the values; both tables' constraints gain 'team_action'
(and lose it again on downgrade, with its rows).

Revision ID: 0023_people
Revises: 0022_competition_consent
Create Date: 2026-12-06 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_people'
down_revision = '0022_competition_consent'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
BEFORE = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon',
          'shortlisted', 'handin_reminder', 'reproduction', 'results_published',
          'score_changed', 'notice', 'answer', 'problem_published', 'question_waiting',
          'judge_finished', 'problem_changed')
AFTER = BEFORE + ('team_action',)
TABLES = {'notifications': 'notification_kind',
          'notification_preferences': 'notification_preference_kind'}


def _allow(kinds):
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, sa.column('kind').in_(kinds))


def upgrade():
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('disqualified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('disqualified_reason', sa.Text(), nullable=False,
                                      server_default=''))
    _allow(AFTER)


def downgrade():
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind = 'team_action'"))
    _allow(BEFORE)
    with op.batch_alter_table('teams', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('disqualified_reason')
        batch_op.drop_column('disqualified_at')
