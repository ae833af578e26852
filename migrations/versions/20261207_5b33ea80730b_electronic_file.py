"""the electronic file: stored files by their SHA-256 (onestop.files), an application's digitised papers, its
result document, the applicant's paper store, and a procedure version's "no result paper" flag; the application's digitisation figures and the rollups' three new counts. New tables and new columns with
defaults (every existing figure is zero: there were no papers): no data is touched.

Revision ID: 5b33ea80730b
Revises: 6d6728ea89f7
Create Date: 2026-12-07 11:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b33ea80730b'
down_revision = '6d6728ea89f7'
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
    op.create_table(
        'stored_paper',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('holder_id_number', sa.String(length=20), nullable=False),
        sa.Column('holder_name', sa.String(length=255), nullable=True),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=True),
        sa.Column('issuer', sa.String(length=255), nullable=True),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('source_application_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_stored_paper_created_by_id_user')),
        sa.ForeignKeyConstraint(['source_application_id'], ['application.id'],
                                name=op.f('fk_stored_paper_source_application_id_application')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_paper')),
    )
    op.create_index('ix_stored_paper_holder_kind', 'stored_paper', ['holder_id_number', 'kind'], unique=False)
    op.create_index(op.f('ix_stored_paper_source_application_id'), 'stored_paper', ['source_application_id'],
                    unique=False)
    op.create_table(
        'paper_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paper_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('mimetype', sa.String(length=64), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_paper_file_added_by_id_user')),
        sa.ForeignKeyConstraint(['paper_id'], ['stored_paper.id'], name=op.f('fk_paper_file_paper_id_stored_paper')),
        sa.ForeignKeyConstraint(['sha256'], ['stored_file.sha256'], name=op.f('fk_paper_file_sha256_stored_file')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_file')),
        sa.UniqueConstraint('paper_id', 'seq', name=op.f('uq_paper_file_paper_id')),
    )
    op.create_index(op.f('ix_paper_file_paper_id'), 'paper_file', ['paper_id'], unique=False)
    op.create_index(op.f('ix_paper_file_sha256'), 'paper_file', ['sha256'], unique=False)
    op.create_table(
        'application_paper',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('stored_paper_id', sa.Integer(), nullable=False),
        sa.Column('reused', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_application_paper_application_id_application')),
        sa.ForeignKeyConstraint(['stored_paper_id'], ['stored_paper.id'],
                                name=op.f('fk_application_paper_stored_paper_id_stored_paper')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_application_paper_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_paper')),
        sa.UniqueConstraint('application_id', 'position', name=op.f('uq_application_paper_application_id')),
    )
    op.create_index(op.f('ix_application_paper_stored_paper_id'), 'application_paper', ['stored_paper_id'],
                    unique=False)
    op.create_table(
        'result_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('signer', sa.String(length=255), nullable=False),
        sa.Column('stored_paper_id', sa.Integer(), nullable=True),
        sa.Column('digitised_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_result_document_application_id_application')),
        sa.ForeignKeyConstraint(['stored_paper_id'], ['stored_paper.id'],
                                name=op.f('fk_result_document_stored_paper_id_stored_paper')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_result_document_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_result_document')),
        sa.UniqueConstraint('application_id', name=op.f('uq_result_document_application_id')),
    )
    # Plain ADD COLUMN with a constant default (SQLite too): a batch rebuild of `application` or
    # `procedure_version` would trip the foreign keys that point at them.
    op.add_column('application', sa.Column('papers_digitised', sa.Boolean(), server_default=sa.false(),
                                           nullable=False))
    op.add_column('application', sa.Column('papers_reused', sa.Integer(), server_default='0', nullable=False))
    op.add_column('application', sa.Column('result_digitised_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('procedure_version', sa.Column('has_result_paper', sa.Boolean(), server_default=sa.true(),
                                                 nullable=False))
    for name in ('digitised', 'results_digitised', 'papers_reused'):
        op.add_column('rollup', sa.Column(name, sa.Integer(), server_default='0', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason
    for name in ('digitised', 'results_digitised', 'papers_reused'):
        op.drop_column('rollup', name)
    op.drop_column('procedure_version', 'has_result_paper')
    for name in ('result_digitised_at', 'papers_reused', 'papers_digitised'):
        op.drop_column('application', name)
    op.drop_table('result_document')
    op.drop_index(op.f('ix_application_paper_stored_paper_id'), table_name='application_paper')
    op.drop_table('application_paper')
    op.drop_index(op.f('ix_paper_file_sha256'), table_name='paper_file')
    op.drop_index(op.f('ix_paper_file_paper_id'), table_name='paper_file')
    op.drop_table('paper_file')
    op.drop_index(op.f('ix_stored_paper_source_application_id'), table_name='stored_paper')
    op.drop_index('ix_stored_paper_holder_kind', table_name='stored_paper')
    op.drop_table('stored_paper')
    op.drop_table('stored_file')
