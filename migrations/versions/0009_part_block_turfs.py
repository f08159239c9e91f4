"""part-block turfs: a block whose doors are held door by door (TurfDoor) is marked divided;
a turf says whether its count is of doors or of its blocks' housing units

Revision ID: 0009_part_block_turfs
Revises: 0008_time_zones
Create Date: 2026-12-02 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_part_block_turfs'
down_revision = '0008_time_zones'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('divided', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('turf', schema=None) as batch_op:
        batch_op.add_column(sa.Column('count_basis', sa.String(length=16), nullable=False, server_default='doors'))


def downgrade():
    with op.batch_alter_table('turf', schema=None) as batch_op:
        batch_op.drop_column('count_basis')
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('divided')
