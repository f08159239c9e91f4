"""job.receiving (issue 21.4, the upload answered at once): true while the web process that took an upload is
still storing the rest of the file into the database after its answer; the job is sent to its runner only
once it is false

Revision ID: 0020_job_receiving
Revises: 0019_viewport
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_job_receiving'
down_revision = '0019_viewport'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('receiving')
