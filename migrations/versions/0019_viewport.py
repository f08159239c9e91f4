"""viewport maps (issue 18, statewide offices): two covering indexes on the blocks, so an office of 250,000
blocks answers its door totals, turf totals, extent and viewport queries from small indexes instead of
reading every block row with its shapes

- ix_block_office_turf_doors (office_id, turf_id, door_count, divided): doors per office and per turf,
  free blocks;
- ix_block_office_place (office_id, centroid_lon, centroid_lat, min_lon, min_lat, max_lon, max_lat,
  door_count, turf_id, divided): the blocks in a bounding box, the cells of a zoomed-out map, the extent.

Revision ID: 0019_viewport
Revises: 0018_import_formats
Create Date: 2026-12-03 08:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_viewport'
down_revision = '0018_import_formats'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.create_index('ix_block_office_turf_doors', ['office_id', 'turf_id', 'door_count', 'divided'],
                              unique=False)
        batch_op.create_index('ix_block_office_place', ['office_id', 'centroid_lon', 'centroid_lat', 'min_lon',
                                                        'min_lat', 'max_lon', 'max_lat', 'door_count', 'turf_id',
                                                        'divided'], unique=False)


def downgrade():
    with op.batch_alter_table('block', schema=None) as batch_op:
        batch_op.drop_index('ix_block_office_place')
        batch_op.drop_index('ix_block_office_turf_doors')
