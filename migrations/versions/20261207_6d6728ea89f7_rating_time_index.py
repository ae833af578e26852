"""ratings by the time they were given: the supervisors' list of a period's ratings (the files behind the dashboard's
satisfaction figure) reads them newest first and stops after a page, instead of sorting every rating.

Revision ID: 6d6728ea89f7
Revises: 2c9c83cdb75f
Create Date: 2026-12-07 11:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6d6728ea89f7'
down_revision = '2c9c83cdb75f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_rating_at', 'rating', ['at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_rating_at', table_name='rating')
