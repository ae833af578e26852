"""fees and charges: the fee lines an application owes (application_fee), when a procedure's fees are collected
(procedure.fee_collect, "before" for every existing one), and what was paid: receipt series, payments, receipts,
cancellations, refunds, closed days. Only new tables and one column with a default: no data is changed or dropped.
Applications received before this revision have no fee lines.

Revision ID: a17fee5c0d41
Revises: 5b33ea80730b
Create Date: 2026-12-07 11:11:15.624117

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17fee5c0d41'
down_revision = '5b33ea80730b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipt_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('form_number', sa.String(length=32), nullable=False),
    sa.Column('symbol', sa.String(length=64), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_receipt_series_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_series')),
    sa.UniqueConstraint('agency_id', 'year', name=op.f('uq_receipt_series_agency_id')),
    sa.UniqueConstraint('symbol', name=op.f('uq_receipt_series_symbol'))
    )
    op.create_table('day_close',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_day_close_agency_id_agency')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_day_close_closed_by_id_user')),
    sa.PrimaryKeyConstraint('agency_id', 'day', name=op.f('pk_day_close'))
    )
    op.create_table('application_fee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('collect', sa.String(length=16), nullable=False),
    sa.Column('unit_amount', sa.BigInteger(), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('stated', sa.Boolean(), nullable=False),
    sa.Column('reduction', sa.BigInteger(), nullable=False),
    sa.Column('exempt_reason', sa.Text(), nullable=True),
    sa.Column('exempt_by_id', sa.Integer(), nullable=True),
    sa.Column('exempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_fee_application_id_application')),
    sa.ForeignKeyConstraint(['exempt_by_id'], ['user.id'], name=op.f('fk_application_fee_exempt_by_id_user')),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_application_fee_set_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_fee')),
    sa.UniqueConstraint('application_id', 'position', name=op.f('uq_application_fee_application_id'))
    )
    with op.batch_alter_table('application_fee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_fee_application_id'), ['application_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('submission_number', sa.String(length=40), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('payer_name', sa.String(length=255), nullable=False),
    sa.Column('collector_id', sa.Integer(), nullable=True),
    sa.Column('reissue_of_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('gateway_transaction', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_payment_agency_id_agency')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_payment_application_id_application')),
    sa.ForeignKeyConstraint(['collector_id'], ['user.id'], name=op.f('fk_payment_collector_id_user')),
    sa.ForeignKeyConstraint(['reissue_of_id'], ['payment.id'], name=op.f('fk_payment_reissue_of_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('reference', name=op.f('uq_payment_reference'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index('ix_payment_agency_day', ['agency_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_submission_number'), ['submission_number'], unique=False)

    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('application_code', sa.String(length=40), nullable=False),
    sa.Column('payer_name', sa.String(length=255), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('collector_id', sa.Integer(), nullable=True),
    sa.Column('collector_name', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_receipt_agency_id_agency')),
    sa.ForeignKeyConstraint(['collector_id'], ['user.id'], name=op.f('fk_receipt_collector_id_user')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_receipt_payment_id_payment')),
    sa.ForeignKeyConstraint(['series_id'], ['receipt_series.id'], name=op.f('fk_receipt_series_id_receipt_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_receipt_payment_id')),
    sa.UniqueConstraint('series_id', 'number', name=op.f('uq_receipt_series_id'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_agency_day', ['agency_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_application_code'), ['application_code'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_refund_agency_id_agency')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_refund_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index('ix_refund_agency_day', ['agency_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_payment_id'), ['payment_id'], unique=False)

    op.create_table('receipt_cancellation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_receipt_cancellation_agency_id_agency')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_receipt_cancellation_receipt_id_receipt')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_receipt_cancellation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_cancellation')),
    sa.UniqueConstraint('receipt_id', name=op.f('uq_receipt_cancellation_receipt_id'))
    )
    with op.batch_alter_table('receipt_cancellation', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_cancellation_agency_day', ['agency_id', 'day'], unique=False)

    # ALTER TABLE … ADD COLUMN, also on SQLite: a batch would rebuild the table, which the applications' foreign
    # keys forbid while they are on
    op.add_column('procedure', sa.Column('fee_collect', sa.String(length=16), server_default='before', nullable=False))



def downgrade():
    op.drop_column('procedure', 'fee_collect')  # SQLite 3.35 and later drop a column in place

    with op.batch_alter_table('receipt_cancellation', schema=None) as batch_op:
        batch_op.drop_index('ix_receipt_cancellation_agency_day')

    op.drop_table('receipt_cancellation')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_payment_id'))
        batch_op.drop_index('ix_refund_agency_day')

    op.drop_table('refund')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_application_code'))
        batch_op.drop_index('ix_receipt_agency_day')

    op.drop_table('receipt')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_submission_number'))
        batch_op.drop_index(batch_op.f('ix_payment_status'))
        batch_op.drop_index(batch_op.f('ix_payment_application_id'))
        batch_op.drop_index('ix_payment_agency_day')

    op.drop_table('payment')
    with op.batch_alter_table('application_fee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_fee_application_id'))

    op.drop_table('application_fee')
    op.drop_table('day_close')
    op.drop_table('receipt_series')
