"""The outbox (messages to the national portal, e-mail, SMS) and the applicant's consent to be told

Revision ID: 7b1e0c4d9a21
Revises: 73a1b133b041
Create Date: 2026-12-07 11:30:00

"""
import sqlalchemy as sa
from alembic import op

import onestop.database

revision = '7b1e0c4d9a21'
down_revision = '73a1b133b041'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN (SQLite takes it with its default): no rebuild of a table the events point at
    op.add_column('application', sa.Column('notify', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('stream', sa.String(length=80), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=True),
        sa.Column('event_type', sa.String(length=32), nullable=True),
        sa.Column('recipient', sa.String(length=255), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', onestop.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', onestop.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', onestop.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_outbox_message_application_id_application')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
        sa.UniqueConstraint('key', name=op.f('uq_outbox_message_key')),
    )
    op.create_index('ix_outbox_message_application', 'outbox_message', ['application_id', 'id'], unique=False)
    op.create_index('ix_outbox_message_due', 'outbox_message', ['next_attempt_at', 'id'], unique=False,
                    postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
    op.create_index('ix_outbox_message_stream_unsent', 'outbox_message', ['stream', 'id'], unique=False,
                    postgresql_where=sa.text("state <> 'sent'"), sqlite_where=sa.text("state <> 'sent'"))


def downgrade():
    op.drop_index('ix_outbox_message_stream_unsent', table_name='outbox_message')
    op.drop_index('ix_outbox_message_due', table_name='outbox_message')
    op.drop_index('ix_outbox_message_application', table_name='outbox_message')
    op.drop_table('outbox_message')
    op.drop_column('application', 'notify')  # SQLite 3.35+ drops a column in place
