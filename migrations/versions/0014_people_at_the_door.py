"""people at the door: residents added and corrected on the phone (an append-only history), languages of
people and volunteers, canvasses in several languages with an optional survey, a Language barrier's language

Revision ID: 0014_people_at_the_door
Revises: 0013_interface_language
Create Date: 2026-12-03 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_people_at_the_door'
down_revision = '0013_interface_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_phone_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_email_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('added_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_contact_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_person_added_id', ['added_id'])
        batch_op.create_index(batch_op.f('ix_person_added_by_id'), ['added_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key('fk_person_added_by_id_app_user', 'app_user', ['added_by_id'], ['id'])
        batch_op.create_foreign_key('fk_person_merged_into_id_person', 'person', ['merged_into_id'], ['id'])

    op.create_table(
        'person_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('door_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('contact_id', sa.String(length=36), nullable=True),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['app_user.id'], ),
        sa.ForeignKeyConstraint(['door_id'], ['door.id'], ),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('person_change', schema=None) as batch_op:
        batch_op.create_index('ix_person_change_office_time', ['office_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_door_id'), ['door_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_by_id'), ['by_id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table('canvass', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_optional', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('canvass', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('survey_optional')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('languages')
    with op.batch_alter_table('person_change', schema=None) as batch_op:
        for name in ('ix_person_change_by_id', 'ix_person_change_contact_id', 'ix_person_change_person_id',
                     'ix_person_change_door_id', 'ix_person_change_office_time'):
            batch_op.drop_index(name)
    op.drop_table('person_change')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint('fk_person_merged_into_id_person', type_='foreignkey')
        batch_op.drop_constraint('fk_person_added_by_id_app_user', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_person_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_person_added_by_id'))
        batch_op.drop_constraint('uq_person_added_id', type_='unique')
        for column in ('merged_into_id', 'added_contact_id', 'added_by_id', 'added_id', 'consent_email_at',
                       'consent_phone_at', 'birth_year', 'language'):
            batch_op.drop_column(column)
