"""summaries, household notes, issue tags, re-visit turfs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 00:52:24.925910

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # The dashboards now read the summaries, so the contact table, which every sync writes, sheds the
    # indexes that only they used or that another index already leads with.
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_canvass_office_door')
        batch_op.drop_index('ix_contact_office_id')
        batch_op.drop_index('ix_contact_door_id')
        batch_op.drop_index('ix_contact_outcome')

    op.create_table('volunteer_day',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('canvass_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('knocks', sa.Integer(), nullable=False),
    sa.Column('conversations', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['canvass_id'], ['canvass.id'], name=op.f('fk_volunteer_day_canvass_id_canvass'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_volunteer_day_office_id_office')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['app_user.id'], name=op.f('fk_volunteer_day_volunteer_id_app_user')),
    sa.PrimaryKeyConstraint('office_id', 'canvass_id', 'volunteer_id', 'day', name=op.f('pk_volunteer_day'))
    )
    with op.batch_alter_table('volunteer_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_day_canvass_id'), ['canvass_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_day_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('door_canvass',
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.Column('canvass_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_reached_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_door_canvass_block_id_block')),
    sa.ForeignKeyConstraint(['canvass_id'], ['canvass.id'], name=op.f('fk_door_canvass_canvass_id_canvass'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['door_id'], ['door.id'], name=op.f('fk_door_canvass_door_id_door'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_door_canvass_office_id_office')),
    sa.PrimaryKeyConstraint('door_id', 'canvass_id', name=op.f('pk_door_canvass'))
    )
    with op.batch_alter_table('door_canvass', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_door_canvass_block_id'), ['block_id'], unique=False)
        batch_op.create_index('ix_door_canvass_counts', ['canvass_id', 'office_id', 'block_id', 'reached'], unique=False)
        batch_op.create_index(batch_op.f('ix_door_canvass_office_id'), ['office_id'], unique=False)

    op.create_table('household',
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('canvasses_reached', sa.Integer(), nullable=False),
    sa.Column('first_knocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_knocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_spoken_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['door_id'], ['door.id'], name=op.f('fk_household_door_id_door'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_household_office_id_office')),
    sa.PrimaryKeyConstraint('door_id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_depth', ['office_id', 'canvasses_reached'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_office_id'), ['office_id'], unique=False)

    op.create_table('turf_door',
    sa.Column('turf_id', sa.Integer(), nullable=False),
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['door_id'], ['door.id'], name=op.f('fk_turf_door_door_id_door'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['turf_id'], ['turf.id'], name=op.f('fk_turf_door_turf_id_turf'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('turf_id', 'door_id', name=op.f('pk_turf_door'))
    )
    with op.batch_alter_table('turf_door', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turf_door_door_id'), ['door_id'], unique=False)

    op.create_table('household_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('spoken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_household_note_author_id_app_user')),
    sa.ForeignKeyConstraint(['door_id'], ['door.id'], name=op.f('fk_household_note_door_id_door'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_household_note_office_id_office')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_household_note_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_note'))
    )
    with op.batch_alter_table('household_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_note_door_id'), ['door_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_note_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_note_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_note_spoken_at'), ['spoken_at'], unique=False)

    op.create_table('supporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('support', sa.SmallInteger(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['door_id'], ['door.id'], name=op.f('fk_supporter_door_id_door'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_supporter_office_id_office')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_supporter_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter'))
    )
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporter_door_id'), ['door_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporter_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporter_person_id'), ['person_id'], unique=False)

    op.create_table('note_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.Column('issue', sa.String(length=40), nullable=False),
    sa.Column('said_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_note_issue_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_id'], ['household_note.id'], name=op.f('fk_note_issue_note_id_household_note'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_note_issue_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_issue'))
    )
    with op.batch_alter_table('note_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_issue_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_issue_note_id'), ['note_id'], unique=False)
        batch_op.create_index('ix_note_issue_office', ['office_id', 'issue'], unique=False)

    with op.batch_alter_table('turf', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=8), server_default='blocks', nullable=False))

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_outcome', ['outcome'], unique=False)
        batch_op.create_index('ix_contact_door_id', ['door_id'], unique=False)
        batch_op.create_index('ix_contact_office_id', ['office_id'], unique=False)
        batch_op.create_index('ix_contact_canvass_office_door', ['canvass_id', 'office_id', 'door_id', 'outcome'],
                              unique=False)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('turf', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('note_issue', schema=None) as batch_op:
        batch_op.drop_index('ix_note_issue_office')
        batch_op.drop_index(batch_op.f('ix_note_issue_note_id'))
        batch_op.drop_index(batch_op.f('ix_note_issue_contact_id'))

    op.drop_table('note_issue')
    with op.batch_alter_table('supporter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporter_person_id'))
        batch_op.drop_index(batch_op.f('ix_supporter_office_id'))
        batch_op.drop_index(batch_op.f('ix_supporter_door_id'))

    op.drop_table('supporter')
    with op.batch_alter_table('household_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_note_spoken_at'))
        batch_op.drop_index(batch_op.f('ix_household_note_person_id'))
        batch_op.drop_index(batch_op.f('ix_household_note_office_id'))
        batch_op.drop_index(batch_op.f('ix_household_note_door_id'))
        batch_op.drop_index(batch_op.f('ix_household_note_author_id'))

    op.drop_table('household_note')
    with op.batch_alter_table('turf_door', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_turf_door_door_id'))

    op.drop_table('turf_door')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_office_id'))
        batch_op.drop_index('ix_household_depth')

    op.drop_table('household')
    with op.batch_alter_table('door_canvass', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_door_canvass_office_id'))
        batch_op.drop_index('ix_door_canvass_counts')
        batch_op.drop_index(batch_op.f('ix_door_canvass_block_id'))

    op.drop_table('door_canvass')
    with op.batch_alter_table('volunteer_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_day_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_day_canvass_id'))

    op.drop_table('volunteer_day')
    # ### end Alembic commands ###
