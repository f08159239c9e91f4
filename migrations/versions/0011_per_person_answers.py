"""per-person answers: a canvass asks its survey once per household unless the organizer asks for each
resident's own answers (canvasses made before this keep asking per household)

Revision ID: 0011_per_person_answers
Revises: 0010_jobs
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_per_person_answers'
down_revision = '0010_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('canvass', schema=None) as batch_op:
        batch_op.add_column(sa.Column('per_person', sa.Boolean(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('canvass', schema=None) as batch_op:
        batch_op.drop_column('per_person')
