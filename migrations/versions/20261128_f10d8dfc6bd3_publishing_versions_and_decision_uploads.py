"""publishing versions and decision uploads

A version is now a draft, in force from a date, or abolished from a date; it records the decision's
signer and the portal's code suffix, and whether its fee is known ("Không quy định" is not 0 đồng).
Uploaded decision tables wait in catalogue_upload for review.

Existing versions become in force with no start date (in force since the catalogue began) and keep
their fee as known: nothing already stored changes meaning. Columns are added and dropped in place
(SQLite 3.35+ drops a plain column natively): copying procedure_version to a new table on SQLite would
cascade-delete its documents through the foreign key.

Revision ID: f10d8dfc6bd3
Revises: 11a4e69a155e
Create Date: 2026-11-28 12:07:59.224555

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f10d8dfc6bd3'
down_revision = '11a4e69a155e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalogue_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_catalogue_upload_imported_by_id_user')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_catalogue_upload_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_catalogue_upload_token'))
    )
    op.add_column('procedure_version', sa.Column('fee_known', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('procedure_version', sa.Column('decision_signer', sa.String(length=255), nullable=True))
    op.add_column('procedure_version', sa.Column('code_suffix', sa.String(length=64), nullable=True))
    op.add_column('procedure_version', sa.Column('status', sa.String(length=16), server_default='in_force',
                                                 nullable=False))
    op.add_column('procedure_version', sa.Column('effective_from', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('procedure_version', 'effective_from')
    op.drop_column('procedure_version', 'status')
    op.drop_column('procedure_version', 'code_suffix')
    op.drop_column('procedure_version', 'decision_signer')
    op.drop_column('procedure_version', 'fee_known')
    op.drop_table('catalogue_upload')
