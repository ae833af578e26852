"""The rollups count the files whose reception the national portal accepted (issue 18), on their reception day

Revision ID: 3f8e2a91c6d4
Revises: a7c31e9d5f20
Create Date: 2026-12-07 12:30:00

Existing rows start at 0; `flask --app wsgi indicators rebuild` recounts them from the outbox's messages.
"""
import sqlalchemy as sa
from alembic import op

revision = '3f8e2a91c6d4'
down_revision = 'a7c31e9d5f20'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('rollup', sa.Column('synced', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('rollup', schema=None) as batch_op:  # nothing points at the rollups: a rebuild is safe
        batch_op.drop_column('synced')
