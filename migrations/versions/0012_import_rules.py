"""doors without an address: a residential building OpenStreetMap gives no address, named by its nearest
street ("near Kauppalankatu") so rural territory can be canvassed

Revision ID: 0012_import_rules
Revises: 0011_per_person_answers
Create Date: 2026-12-03 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_import_rules'
down_revision = '0011_per_person_answers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unaddressed', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.drop_column('unaddressed')
