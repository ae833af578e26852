"""back-dated events: the reason a person gave for typing a time earlier than the moment of recording, on the
event itself (NULL for every event recorded at its own time, so every existing row stays as it was), and a partial
index over the back-dated ones only, by when they were recorded, for the supervisors' list.

Revision ID: 73a1b133b041
Revises: 9c1e5a7d2b40
Create Date: 2026-12-07 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '73a1b133b041'
down_revision = '9c1e5a7d2b40'
branch_labels = None
depends_on = None

BACKDATED = sa.text('backdate_reason IS NOT NULL')


def upgrade():
    # a nullable column is added in place on SQLite too: no table rebuild, no foreign keys to turn off
    op.add_column('application_event', sa.Column('backdate_reason', sa.Text(), nullable=True))
    op.create_index('ix_application_event_backdated', 'application_event', ['recorded_at', 'id'], unique=False,
                    postgresql_where=BACKDATED, sqlite_where=BACKDATED)


def downgrade():
    op.drop_index('ix_application_event_backdated', table_name='application_event',
                  postgresql_where=BACKDATED, sqlite_where=BACKDATED)
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_column('backdate_reason')
