"""dated changes: each version gets superseded_from, the day a later publication takes over from it (the earliest
start of a higher-numbered published version), derived from the versions and filled here for the existing ones, so
that "in force on a day" is a range test. And a dated abolition lives in its version only: procedure.status keeps
the administrator's switch (a suspension, or an abolition by hand). Until now an abolition already in effect when it
was imported also wrote 'abolished' there, so a postal file posted before that day could not be logged under the
version it was sent for; such rows go back to 'in_force', and the abolition version still says abolished from its
day, so nothing reads differently today. Nothing is dropped; the downgrade drops only the derived column.

Revision ID: 2c9c83cdb75f
Revises: 7aab15564e45
Create Date: 2026-12-07 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2c9c83cdb75f'
down_revision = '7aab15564e45'
branch_labels = None
depends_on = None


def upgrade():
    # in place on every database (no batch copy of procedure_version, which other tables reference)
    op.add_column('procedure_version', sa.Column('superseded_from', sa.Date(), nullable=True))
    op.execute("""
        UPDATE procedure_version SET superseded_from = (
            SELECT MIN(COALESCE(w.effective_from, DATE '1900-01-01')) FROM procedure_version w
            WHERE w.procedure_id = procedure_version.procedure_id AND w.status <> 'draft'
              AND w.number > procedure_version.number)
    """ if op.get_bind().dialect.name == "postgresql" else """
        UPDATE procedure_version SET superseded_from = (
            SELECT MIN(COALESCE(w.effective_from, '1900-01-01')) FROM procedure_version w
            WHERE w.procedure_id = procedure_version.procedure_id AND w.status <> 'draft'
              AND w.number > procedure_version.number)
    """)
    # the newest published version (the highest number that is not a draft) is an abolition
    op.execute("""
        UPDATE procedure SET status = 'in_force'
        WHERE status = 'abolished' AND EXISTS (
            SELECT 1 FROM procedure_version v
            WHERE v.procedure_id = procedure.id AND v.status = 'abolished'
              AND v.number = (SELECT MAX(w.number) FROM procedure_version w
                              WHERE w.procedure_id = procedure.id AND w.status <> 'draft'))
    """)


def downgrade():
    op.drop_column('procedure_version', 'superseded_from')  # in place (SQLite 3.35+)
