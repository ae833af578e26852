"""idempotency key per user: an Idempotency-Key (submission_key) is unique for the clerk who sent it, not across
the whole database, so another agency's identical key is another submission. Empty keys become NULL (any number of
key-less submissions). No data is dropped.

Revision ID: 9c1e5a7d2b40
Revises: 263959dde96a
Create Date: 2026-11-28 16:10:00

"""
from contextlib import contextmanager

from alembic import op


# revision identifiers, used by Alembic.
revision = '9c1e5a7d2b40'
down_revision = '263959dde96a'
branch_labels = None
depends_on = None


@contextmanager
def rebuild_allowed():
    """SQLite changes a unique constraint by rebuilding the table, which the foreign keys to applications forbid
    while they are on; they can only be turned off between transactions (the recipe Alembic's docs give). The
    same rows, with the same ids, are all there after the rebuild."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys = OFF")
    bind.exec_driver_sql("BEGIN")
    try:
        yield
    finally:
        bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys = ON")
        bind.exec_driver_sql("BEGIN")


def upgrade():
    op.execute("UPDATE application SET submission_key = NULL WHERE submission_key = ''")
    with rebuild_allowed(), op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint('uq_application_submission_key', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_application_created_by_id'), ['created_by_id', 'submission_key'])


def downgrade():
    with rebuild_allowed(), op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_application_created_by_id'), type_='unique')
        batch_op.create_unique_constraint('uq_application_submission_key', ['submission_key'])
