"""complaint sequence: the daily number of complaint codes (PA-{agency}-{YYMMDD}-{NNNN}) per agency, taken like
an application's; carries on from any complaint codes already given in that form.

Revision ID: 19e7dccc57f0
Revises: f10d8dfc6bd3
Create Date: 2026-11-28 12:25:46.957600

"""
import re
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '19e7dccc57f0'
down_revision = 'f10d8dfc6bd3'
branch_labels = None
depends_on = None

CODE = re.compile(r"^PA-(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def upgrade():
    sequence = op.create_table('complaint_sequence',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_complaint_sequence_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'day', name=op.f('pk_complaint_sequence'))
    )
    # Numbers already given go on from where they stand (a few rows at most: complaints are new with this table).
    connection = op.get_bind()
    agencies = dict(connection.execute(sa.text("SELECT code, id FROM agency")).all())
    last: dict[tuple[int, date], int] = {}
    for (code,) in connection.execute(sa.text("SELECT code FROM complaint")):
        match = CODE.match(code)
        if match and match["agency"] in agencies:
            day = date(2000 + int(match["day"][:2]), int(match["day"][2:4]), int(match["day"][4:]))
            key = (agencies[match["agency"]], day)
            last[key] = max(last.get(key, 0), int(match["number"]))
    if last:
        op.bulk_insert(sequence, [{"agency_id": agency_id, "day": day, "last_value": value}
                                  for (agency_id, day), value in sorted(last.items())])


def downgrade():
    op.drop_table('complaint_sequence')
