"""contact coverage index: per canvass and office, each door and its outcome, for the dashboards

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:45:00

"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_canvass_office_door', ['canvass_id', 'office_id', 'door_id', 'outcome'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_canvass_office_door')
