"""supporters by office and door (issue 18, the region comparison's figure): the relationship depth counts each
office's supporters not spoken with in 30 days from a covering index instead of reading every supporter row

- ix_supporter_office_door (office_id, door_id).

Revision ID: 0022_supporter_depth
Revises: 0021_team_goals
Create Date: 2026-12-03 11:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_supporter_depth'
down_revision = '0021_team_goals'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.create_index('ix_supporter_office_door', ['office_id', 'door_id'], unique=False)


def downgrade():
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.drop_index('ix_supporter_office_door')
