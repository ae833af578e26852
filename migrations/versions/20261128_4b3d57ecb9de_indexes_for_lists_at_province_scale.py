"""indexes for lists at province scale: a desk's and an agency's files newest first, the open files soonest due

Found with EXPLAIN (ANALYZE, BUFFERS) on a seeded province of 1,000,000 applications (`flask demo --scale`):
the officer's inbox and every overdue list walked the due-time index and threw away the closed files (97% of
all) to find the open ones, and a desk's list sorted every file it ever received. Now:
- the open files (a few per cent of all rows) sit in two partial indexes, by due time and by processing agency
  then due time: the inbox and the overdue, due-today, due-soon and paused lists read them in order; on
  PostgreSQL the status is included, so a list of some of the open states is checked (and counted) in the index
  alone, not on the table (without it the planner preferred the status index and a bitmap: 16 ms to count what
  the partial index counts in 0.3 ms);
- the receiving agency's and the processing agency's single-column indexes become (agency, received_at, id):
  each side of a user's scope is read newest first straight from its index, and the leading column still
  serves every lookup the old indexes served.
Indexes only: no data changes. The partial indexes' predicate is a literal list of statuses, as the queries
write it (reception.queries.status_in).

Revision ID: 4b3d57ecb9de
Revises: 430f2d07de39
Create Date: 2026-11-28 12:37:11.342403

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b3d57ecb9de'
down_revision = '430f2d07de39'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('received', 'transferred', 'processing', 'waiting_supplement')")


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_agency_received', ['agency_id', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_application_processing_received', ['processing_agency_id', 'received_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_application_open_due', ['due_at', 'id'], unique=False,
                              postgresql_include=['status'], postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index('ix_application_open_processing', ['processing_agency_id', 'due_at', 'id'],
                              unique=False, postgresql_include=['status'], postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.drop_index('ix_application_agency_id')
        batch_op.drop_index('ix_application_processing_agency_id')


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_agency_id', ['agency_id'], unique=False)
        batch_op.create_index('ix_application_processing_agency_id', ['processing_agency_id'], unique=False)
        batch_op.drop_index('ix_application_open_processing')
        batch_op.drop_index('ix_application_open_due')
        batch_op.drop_index('ix_application_processing_received')
        batch_op.drop_index('ix_application_agency_received')
