"""problem series: phases and tasks as problem rows grouped by a series; split method "all"

Revision ID: 0036_problem_series
Revises: 0035_both_kinds
Create Date: 2026-12-07 15:40:00.000000

A series (``problem_series``) groups the problem rows a participant sees as one problem: one
row per phase × task (docs/design/phases.md). Every existing problem stays a problem on its
own: no series, no indexes, carries nothing, takes uploads, decides its own ranking. Every
existing submission is its own upload, carried from nowhere. The split method gains "all"
(every row scores both boards); no existing problem uses it.
"""
from alembic import op
import sqlalchemy as sa

import judge.core.db

# revision identifiers, used by Alembic.
revision = '0036_problem_series'
down_revision = '0035_both_kinds'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}
SPLITS_BEFORE = ('fraction', 'usage_column')
SPLITS_AFTER = SPLITS_BEFORE + ('all',)
DECIDES = 'decides_ranking AND series_id IS NOT NULL'


def _series_table():
    op.create_table(
        'problem_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('competition_id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('created_at', judge.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'],
                                name=op.f('fk_problem_series_competition_id_competitions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_series')),
        sa.UniqueConstraint('competition_id', 'slug',
                            name=op.f('uq_problem_series_competition_id_slug')),
        sa.UniqueConstraint('id', 'competition_id', name='uq_problem_series_id_competition'),
        **KEEP_IDS,
    )
    op.create_index(op.f('ix_problem_series_competition_id'), 'problem_series',
                    ['competition_id'], unique=False)


def _problem_columns(batch_op):
    batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('phase_index', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('task_index', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column(
        'carry', sa.Enum('none', 'all', 'top_n', name='carry', native_enum=False,
                         create_constraint=True, length=32),
        server_default='none', nullable=False))
    batch_op.add_column(sa.Column('carry_top_n', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('scoring_only', sa.Boolean(), server_default=sa.false(),
                                  nullable=False))
    batch_op.add_column(sa.Column('decides_ranking', sa.Boolean(), server_default=sa.true(),
                                  nullable=False))


def _problem_constraints(batch_op):
    batch_op.create_index(batch_op.f('ix_problems_series_id'), ['series_id'], unique=False)
    batch_op.create_unique_constraint(batch_op.f('uq_problems_series_id_phase_index_task_index'),
                                      ['series_id', 'phase_index', 'task_index'])
    batch_op.create_foreign_key('fk_problems_series_in_competition', 'problem_series',
                                ['series_id', 'competition_id'], ['id', 'competition_id'])
    batch_op.create_check_constraint(
        'series_position',
        '(series_id IS NULL AND phase_index IS NULL AND task_index IS NULL)'
        ' OR (series_id IS NOT NULL AND phase_index >= 0 AND task_index >= 0)')
    batch_op.create_check_constraint(
        'carry_from_a_phase', "carry = 'none' OR (phase_index IS NOT NULL AND phase_index > 0)")
    batch_op.create_check_constraint(
        'carry_top_n',
        "(carry = 'top_n' AND carry_top_n >= 1) OR (carry <> 'top_n' AND carry_top_n IS NULL)")
    batch_op.create_check_constraint('scoring_only_carries', "NOT scoring_only OR carry <> 'none'")
    batch_op.create_check_constraint('own_ranking', 'series_id IS NOT NULL OR decides_ranking')
    batch_op.drop_constraint(op.f('ck_problems_split_method'), type_='check')
    batch_op.create_check_constraint('split_method', sa.column('split_method').in_(SPLITS_AFTER))


def upgrade():
    _series_table()
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        _problem_columns(batch_op)
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        _problem_constraints(batch_op)
    op.create_index('ix_problems_series_decides', 'problems', ['series_id'], unique=True,
                    sqlite_where=sa.text(DECIDES), postgresql_where=sa.text(DECIDES))
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_submissions_parent_id'), ['parent_id'])
        batch_op.create_index(batch_op.f('ix_submissions_carried_from_id'), ['carried_from_id'])
        batch_op.create_foreign_key(batch_op.f('fk_submissions_parent_id_submissions'),
                                    'submissions', ['parent_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_submissions_carried_from_id_submissions'),
                                    'submissions', ['carried_from_id'], ['id'],
                                    ondelete='SET NULL')


def _refuse_lossy_downgrade():
    """Before 0036 nothing can say "all rows" or "a phase of a series": a downgrade would
    change how such problems score or split them apart, so it stops instead."""
    bind = op.get_bind()
    count = bind.execute(sa.text("SELECT COUNT(*) FROM problems WHERE split_method = 'all' "
                                 "OR series_id IS NOT NULL")).scalar()
    count += bind.execute(sa.text("SELECT COUNT(*) FROM problem_series")).scalar()
    if count:
        raise RuntimeError(f"{count} problems or series score on all rows or form a series; "
                           "change or remove them before downgrading below 0036.")


def downgrade():
    _refuse_lossy_downgrade()
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_submissions_carried_from_id_submissions'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_submissions_parent_id_submissions'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_submissions_carried_from_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_parent_id'))
        batch_op.drop_column('carried_from_id')
        batch_op.drop_column('parent_id')
    op.drop_index('ix_problems_series_decides', table_name='problems')
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_problems_split_method'), type_='check')
        batch_op.create_check_constraint('split_method',
                                         sa.column('split_method').in_(SPLITS_BEFORE))
        for name in ('own_ranking', 'scoring_only_carries', 'carry_top_n',
                     'carry_from_a_phase', 'series_position', 'carry'):
            batch_op.drop_constraint(op.f(f'ck_problems_{name}'), type_='check')
        batch_op.drop_constraint('fk_problems_series_in_competition', type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_problems_series_id_phase_index_task_index'),
                                 type_='unique')
        batch_op.drop_index(batch_op.f('ix_problems_series_id'))
        for name in ('decides_ranking', 'scoring_only', 'carry_top_n', 'carry', 'task_index',
                     'phase_index', 'series_id'):
            batch_op.drop_column(name)
    op.drop_index(op.f('ix_problem_series_competition_id'), table_name='problem_series')
    op.drop_table('problem_series')
