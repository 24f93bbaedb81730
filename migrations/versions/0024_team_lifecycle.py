"""teams: merge requests between teams, and the notification kinds of a team's life cycle

Revision ID: 0024_team_lifecycle
Revises: 0023_people
Create Date: 2026-12-06 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_team_lifecycle'
down_revision = '0023_people'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
BEFORE = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon',
          'shortlisted', 'handin_reminder', 'reproduction', 'results_published',
          'score_changed', 'notice', 'answer', 'problem_published', 'question_waiting',
          'judge_finished', 'problem_changed', 'team_action')
NEW = ('team_member_removed', 'merge_requested', 'merge_declined', 'teams_merged')
TABLES = {'notifications': 'notification_kind',
          'notification_preferences': 'notification_preference_kind'}


def _allow(kinds):
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None, table_kwargs=KEEP_IDS) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(name, sa.column('kind').in_(kinds))


def upgrade():
    op.create_table(
        'team_merge_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competition_id', sa.Integer(), nullable=False),
        sa.Column('into_team_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'withdrawn',
                                    name='merge_status', native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'],
                                name=op.f('fk_team_merge_requests_competition_id_competitions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['into_team_id'], ['teams.id'],
                                name=op.f('fk_team_merge_requests_into_team_id_teams'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_team_merge_requests_requested_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'],
                                name=op.f('fk_team_merge_requests_team_id_teams'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_team_merge_requests')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('team_merge_requests', schema=None,
                              table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_merge_requests_competition_id'),
                              ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_merge_requests_team_id'), ['team_id'],
                              unique=False)
    _allow(BEFORE + NEW)


def downgrade():
    for table in TABLES:
        kinds = ', '.join(f"'{kind}'" for kind in NEW)
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind IN ({kinds})"))
    _allow(BEFORE)
    op.drop_table('team_merge_requests')
