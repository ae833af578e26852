"""procedure time note: the longer time a published table gives beside the main one (for bulky or special
requests, or by agreement), kept on the version and shown at the desk. A new nullable column; no data changes.

Revision ID: 7aab15564e45
Revises: 7b1e0c4d9a21
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7aab15564e45'
down_revision = '7b1e0c4d9a21'
branch_labels = None
depends_on = None


# Plain ADD / DROP COLUMN (SQLite 3.35+ drops one too): a batch rebuild of procedure_version would trip the
# foreign keys that applications and procedures hold to it.
def upgrade():
    op.add_column("procedure_version", sa.Column("time_note", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("procedure_version", "time_note")
