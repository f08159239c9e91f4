"""answers by person, partial (issue 18's universe count, proofed against statistics): the index that finds a
person's latest support answer holds only answers with a person. Counted with the households' answers (no
person, most of them), SQLite's planner after ANALYZE judged it useless and read the whole table for each
person a universe looked at.

- ix_latest_support_person_id (person_id) WHERE person_id IS NOT NULL, instead of over every row.

Revision ID: 0023_answers_by_person
Revises: 0022_supporter_depth
Create Date: 2026-12-03 17:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_answers_by_person'
down_revision = '0022_supporter_depth'
branch_labels = None
depends_on = None

WHERE = sa.text("person_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table('latest_support', schema=None) as batch_op:
        batch_op.drop_index('ix_latest_support_person_id')
        batch_op.create_index('ix_latest_support_person_id', ['person_id'], unique=False,
                              postgresql_where=WHERE, sqlite_where=WHERE)


def downgrade():
    with op.batch_alter_table('latest_support', schema=None) as batch_op:
        batch_op.drop_index('ix_latest_support_person_id')
        batch_op.create_index('ix_latest_support_person_id', ['person_id'], unique=False)
