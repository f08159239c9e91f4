"""team goals (issue 20.2): a goal may be a neighborhood team's, so its leader paces the team toward it

- goal.team_id: the team the goal is for (the office's own goal, a turf's and a volunteer's leave it empty).

Revision ID: 0021_team_goals
Revises: 0020_big_imports
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_team_goals'
down_revision = '0020_big_imports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_goal_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_goal_team_id_team'), 'team', ['team_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_goal_team_id_team'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_goal_team_id'))
        batch_op.drop_column('team_id')
