"""teams and staff: invitations by link and by mail

Revision ID: 0018_invitations
Revises: 0017_notifications
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_invitations'
down_revision = '0017_notifications'
branch_labels = None
depends_on = None

# SQLite must keep every table AUTOINCREMENT (0007).
KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    op.create_table('team_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_team_invitations_created_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_invitations_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_team_invitations_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('team_invitations', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_invitations_team_id'), ['team_id'], unique=False)

    op.create_table('staff_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('organizer', 'judge', name='staff_role', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('sponsor_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(role IS NULL AND sponsor_id IS NOT NULL) OR (role IS NOT NULL AND sponsor_id IS NULL)', name=op.f('ck_staff_invitations_role_or_sponsor')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_staff_invitations_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_staff_invitations_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_staff_invitations_created_by_id_users')),
    sa.ForeignKeyConstraint(['sponsor_id'], ['sponsors.id'], name=op.f('fk_staff_invitations_sponsor_id_sponsors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_invitations_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('staff_invitations', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_invitations_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_invitations_sponsor_id'), ['sponsor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_invitations', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_invitations_sponsor_id'))
        batch_op.drop_index(batch_op.f('ix_staff_invitations_competition_id'))
    op.drop_table('staff_invitations')
    with op.batch_alter_table('team_invitations', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_invitations_team_id'))
    op.drop_table('team_invitations')
