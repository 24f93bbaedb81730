"""parallel ingestion: a problem's ingestion and scoring programs run at the same time

Revision ID: 0039_ingestion_during_scoring
Revises: 0038_phase_carried
Create Date: 2026-12-07 18:50:00.000000

CodaLab 1.8's ``ingestion_program_only_during_scoring`` (Codabench's
``ingestion_only_during_scoring``), kept at a bundle's import. Every existing problem runs as
before: the ingestion program to its end, then the scoring program.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0039_ingestion_during_scoring'
down_revision = '0038_phase_carried'
branch_labels = None
depends_on = None

KEEP_IDS = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('ingestion_during_scoring', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('problems', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('ingestion_during_scoring')
