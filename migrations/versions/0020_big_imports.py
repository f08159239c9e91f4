"""big imports (issue 21.4, a statewide voter file): the upload answered at once, and fewer indexes to update
per imported row

- job.receiving: true while the web process that took an upload is still storing the rest of the file
  into the database after its answer; the job is sent to its runner only once it is false;
- person.added_id (unique), added_by_id and merged_into_id indexed only where they are filled (people
  added at the door): imported people, NULL in all three, update two indexes instead of five;
- door.office_id loses its own index: the unique (office_id, source_id) and (office_id, street,
  house_number) lead with it.

Revision ID: 0020_big_imports
Revises: 0019_viewport
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_big_imports'
down_revision = '0019_viewport'
branch_labels = None
depends_on = None

PARTIAL = (("uq_person_added_id", "added_id", True), ("ix_person_added_by_id", "added_by_id", False),
           ("ix_person_merged_into_id", "merged_into_id", False))


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint('uq_person_added_id', type_='unique')
        batch_op.drop_index('ix_person_added_by_id')
        batch_op.drop_index('ix_person_merged_into_id')
    for name, column, unique in PARTIAL:
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, 'person', [column], unique=unique, postgresql_where=where, sqlite_where=where)
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.drop_index('ix_door_office_id')


def downgrade():
    with op.batch_alter_table('door', schema=None) as batch_op:
        batch_op.create_index('ix_door_office_id', ['office_id'], unique=False)
    for name, _column, _unique in PARTIAL:
        op.drop_index(name, table_name='person')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_merged_into_id', ['merged_into_id'], unique=False)
        batch_op.create_index('ix_person_added_by_id', ['added_by_id'], unique=False)
        batch_op.create_unique_constraint('uq_person_added_id', ['added_id'])
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('receiving')
