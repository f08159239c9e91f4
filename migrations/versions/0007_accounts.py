"""accounts: the mail outbox, a session version per user (sign-out ends every session), and a use limit
per invite (invites made before this get the default of one account: the links that were shared freely stop
making accounts once used)

Revision ID: 0007_accounts
Revises: 0006
Create Date: 2026-12-02 20:50:11.131876

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_accounts'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_message'))
    )
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.create_index('ix_mail_message_due', ['state', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_uses', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('max_uses')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_message_due')

    op.drop_table('mail_message')
