"""offices keep their own time zone (set from their location), people an e-mail address

Revision ID: 0008_time_zones
Revises: 0007_accounts
Create Date: 2026-12-02 10:00:00

Existing offices get the zone of their location (the office's own point, else the middle of its
blocks), so Helsinki's offices count Helsinki days from the upgrade on. Run
``flask rebuild-summaries`` once after upgrading: volunteers' days are then counted on those clocks.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_time_zones'
down_revision = '0007_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    _zones_from_locations()


def _zones_from_locations():
    from fieldops.domain.time_zones import zone_at

    connection = op.get_bind()
    places = connection.execute(sa.text(
        "SELECT office.id, office.lat, office.lon, AVG(block.centroid_lat), AVG(block.centroid_lon) "
        "FROM office LEFT JOIN block ON block.office_id = office.id "
        "GROUP BY office.id, office.lat, office.lon")).all()
    for office_id, lat, lon, block_lat, block_lon in places:
        name = zone_at(lat, lon) if lat is not None else zone_at(block_lat, block_lon)
        if name:
            connection.execute(sa.text("UPDATE office SET time_zone = :zone WHERE id = :id"),
                               {"zone": name, "id": office_id})


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
