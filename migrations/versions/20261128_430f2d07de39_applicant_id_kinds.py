"""applicant id kinds: which paper an applicant's (and a representative's) number is on

A person may show a personal identification number (căn cước, CCCD), an old CMND, a passport or another paper
the clerk names; an organisation its tax code. Existing applications were logged with a 12-digit number for a
person and a tax code for an organisation, so they become `personal_id` and `tax_code`; a representative's
number was checked as 12 digits too. Desk slips kept no applicant kind: their number's shape tells (12 digits: a
personal ID; 10, or 13 written with a dash: a tax code; anything else stays unknown). Also an index for a desk's
own slips, newest first.

Revision ID: 430f2d07de39
Revises: fe4c1afe3772
Create Date: 2026-11-28 12:15:26.898037

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '430f2d07de39'
down_revision = 'fe4c1afe3772'
branch_labels = None
depends_on = None


def upgrade():
    # Added NOT NULL with a default in one step: SQLite adds such a column in place (making it NOT NULL
    # afterwards would rebuild the table, which the foreign keys to applications forbid).
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_id_kind', sa.String(length=16), nullable=False,
                                      server_default='personal_id'))
        batch_op.add_column(sa.Column('applicant_id_paper', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('representative_id_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('representative_id_paper', sa.String(length=100), nullable=True))
    op.execute("UPDATE application SET applicant_id_kind = 'tax_code' WHERE applicant_kind = 'organisation'")
    op.execute("UPDATE application SET representative_id_kind = 'personal_id' "
               "WHERE representative_id_number IS NOT NULL")

    with op.batch_alter_table('desk_slip', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_id_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('applicant_id_paper', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_desk_slip_agency_id_at', ['agency_id', 'at'], unique=False)
    op.execute("UPDATE desk_slip SET applicant_id_kind = CASE "
               "WHEN length(applicant_id_number) = 12 THEN 'personal_id' "
               "WHEN length(applicant_id_number) IN (10, 13, 14) THEN 'tax_code' END "
               "WHERE applicant_id_number IS NOT NULL")


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `application` would trip its foreign keys.
    op.drop_index('ix_desk_slip_agency_id_at', table_name='desk_slip')
    for table, column in (('desk_slip', 'applicant_id_paper'), ('desk_slip', 'applicant_id_kind'),
                          ('application', 'representative_id_paper'), ('application', 'representative_id_kind'),
                          ('application', 'applicant_id_paper'), ('application', 'applicant_id_kind')):
        op.drop_column(table, column)
