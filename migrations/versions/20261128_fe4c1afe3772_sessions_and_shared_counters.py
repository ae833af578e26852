"""sessions and shared counters: a per-user session version (sign-out and a new password end the sessions made
before; existing users start at 1, so sessions made before this upgrade sign in again once), and the counters every
worker shares for sign-in throttling and Flask-Limiter. Nothing existing is dropped.

Revision ID: fe4c1afe3772
Revises: 19e7dccc57f0
Create Date: 2026-11-28 12:15:51.918089

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fe4c1afe3772'
down_revision = '19e7dccc57f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_counter',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counter'))
    )
    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_counter_expires_at'), ['expires_at'], unique=False)

    # In place on every database (no batch copy of "user", which other tables reference); existing users start at 1.
    op.add_column('user', sa.Column('session_version', sa.Integer(), server_default=sa.text('1'), nullable=False))



def downgrade():
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): a batch copy would drop "user", which others reference.
    op.drop_column('user', 'session_version')

    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_counter_expires_at'))

    op.drop_table('rate_counter')
