"""notifications: one row per person and event of every kind, read state, e-mail choices

The narrow table of 0013 (a notice or a question per row) becomes the general one; its
rows are carried over as 'notice' and 'answer' notifications (read: they were seen or not,
nobody can tell, so they count as read).

Revision ID: 0017_notifications
Revises: 0016_profile
Create Date: 2026-12-06 21:30:43.708826

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_notifications'
down_revision = '0016_profile'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
KINDS = ('submission_scored', 'submission_failed', 'limit_reset', 'deadline_soon', 'shortlisted',
         'handin_reminder', 'reproduction', 'results_published', 'score_changed', 'notice',
         'answer', 'problem_published', 'question_waiting', 'judge_finished')


def _kind(name):
    return sa.Enum(*KINDS, name=name, native_enum=False, create_constraint=True, length=32)


OLD_ROWS = """
SELECT n.user_id, n.kind, n.created_at, n.notice_id, n.question_id,
       c.id, c.slug, COALESCE(nt.title, q.title), COALESCE(nt.problem_id, q.problem_id)
FROM notifications n
LEFT JOIN notices nt ON nt.id = n.notice_id
LEFT JOIN questions q ON q.id = n.question_id
JOIN competitions c ON c.id = COALESCE(nt.competition_id, q.competition_id)
"""


def _converted(row):
    user_id, kind, created_at, notice_id, question_id, competition_id, slug, title, problem_id = row
    if notice_id is not None:
        key, link = f'notice:{notice_id}', f'/c/{slug}#notices'
    else:
        key, link = f'answer:{question_id}', f'/c/{slug}/questions/{question_id}'
    return {'user_id': user_id, 'kind': kind, 'key': key, 'competition_id': competition_id,
            'problem_id': problem_id, 'team_id': None, 'params': {'title': title},
            'link': link, 'created_at': created_at, 'read_at': created_at}


def upgrade():
    old = [_converted(r) for r in op.get_bind().execute(sa.text(OLD_ROWS))]
    with op.batch_alter_table('notifications', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
    op.drop_table('notifications')
    notifications = op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', _kind('notification_kind'), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_notifications_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_notifications_problem_id_problems'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_notifications_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notifications_user_id_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('notifications', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index('ix_notifications_unread', ['user_id', 'read_at'], unique=False)
    if old:
        op.bulk_insert(notifications, old)
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', _kind('notification_preference_kind'), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind')),
    sqlite_autoincrement=True
    )


def downgrade():
    # The general rows have no place in 0013's narrow table: notifications start empty.
    op.drop_table('notification_preferences')
    op.drop_table('notifications')
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('notice', 'answer', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(notice_id IS NULL) <> (question_id IS NULL)', name=op.f('ck_notifications_one_subject')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notifications_notice_id_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_notifications_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('notifications', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)
