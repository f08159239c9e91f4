"""import formats: a door placed from its address says how (matched to a held door, or interpolated)

Revision ID: 0018_import_formats
Revises: 0017_targets
Create Date: 2026-12-03 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_import_formats'
down_revision = '0017_targets'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placed_by', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.drop_column('placed_by')
