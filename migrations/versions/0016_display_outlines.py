"""block display outlines: each block's shape simplified once at import (0.5 m, a vertex budget) for the
maps, so no page's time or size follows one block's vertex count (issue 15, slow geometry)

Blocks stored before this keep an empty outline; the maps simplify those when they draw them, and a
re-import stores it.

Revision ID: 0016_display_outlines
Revises: 0015_teams
Create Date: 2026-12-03 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_display_outlines'
down_revision = '0015_teams'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_outline', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_column('display_outline')
