"""both kinds: a code problem may also take results; each upload to it records its kind

Revision ID: 0035_both_kinds
Revises: 0034_rank_stability_excluded
Create Date: 2026-12-07 15:45:00.000000

``problems.takes_results``: a problem whose teams upload code, scored by the sponsor's program
and run by an ingestion program, also takes results (Codabench's rule tells each upload's kind:
a zip with metadata.yaml or metadata at its root is code; anything else is results). Existing
problems take what they took. ``submissions.kind`` records what an upload to a code problem
was; existing submissions of code problems were code.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0035_both_kinds'
down_revision = '0034_rank_stability_excluded'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('takes_results', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('code', 'results', name='upload_kind',
                                                      native_enum=False, create_constraint=True,
                                                      length=32), nullable=True))
    op.execute("UPDATE submissions SET kind = 'code' WHERE problem_id IN "
               "(SELECT id FROM problems WHERE submission_kind = 'code')")


def downgrade():
    with op.batch_alter_table('submissions', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f('ck_submissions_upload_kind'), type_='check')
        batch_op.drop_column('kind')
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('takes_results')
