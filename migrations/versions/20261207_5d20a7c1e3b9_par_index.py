"""The PAR INDEX (issue 20): criteria sets and their items, rounds, units' sheets, answers, evidence, adjustments,
actions and the append-only history of every change. New tables only: no data is touched.

Revision ID: 5d20a7c1e3b9
Revises: c766a1e0b2f3
Create Date: 2026-12-07 13:44:17.521244

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d20a7c1e3b9'
down_revision = 'c766a1e0b2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('par_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('survey_weight_cp', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_set')),
    sa.UniqueConstraint('year', 'group', name=op.f('uq_par_set_year'))
    )
    op.create_table('par_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('max_cp', sa.Integer(), nullable=False),
    sa.Column('scoring', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.Column('answer_kind', sa.String(length=16), nullable=False),
    sa.Column('indicator', sa.String(length=48), nullable=True),
    sa.Column('scale', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['par_item.id'], name=op.f('fk_par_item_parent_id_par_item')),
    sa.ForeignKeyConstraint(['set_id'], ['par_set.id'], name=op.f('fk_par_item_set_id_par_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_item')),
    sa.UniqueConstraint('set_id', 'number', name=op.f('uq_par_item_set_id'))
    )
    with op.batch_alter_table('par_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_item_set_id'), ['set_id'], unique=False)

    op.create_table('par_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('self_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('appraisal_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('explanation_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('second_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('survey_source', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_par_round_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_round')),
    sa.UniqueConstraint('year', name=op.f('uq_par_round_year'))
    )
    op.create_table('par_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('survey_cp', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_par_sheet_agency_id_agency')),
    sa.ForeignKeyConstraint(['round_id'], ['par_round.id'], name=op.f('fk_par_sheet_round_id_par_round')),
    sa.ForeignKeyConstraint(['set_id'], ['par_set.id'], name=op.f('fk_par_sheet_set_id_par_set')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_par_sheet_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_sheet')),
    sa.UniqueConstraint('round_id', 'agency_id', name=op.f('uq_par_sheet_round_id'))
    )
    with op.batch_alter_table('par_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_sheet_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_par_sheet_round_id'), ['round_id'], unique=False)

    op.create_table('par_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_par_action_created_by_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['par_item.id'], name=op.f('fk_par_action_item_id_par_item')),
    sa.ForeignKeyConstraint(['sheet_id'], ['par_sheet.id'], name=op.f('fk_par_action_sheet_id_par_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_action'))
    )
    with op.batch_alter_table('par_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_action_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('par_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('points_cp', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_par_adjustment_by_id_user')),
    sa.ForeignKeyConstraint(['sheet_id'], ['par_sheet.id'], name=op.f('fk_par_adjustment_sheet_id_par_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_adjustment'))
    )
    with op.batch_alter_table('par_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_adjustment_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('par_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('declared', sa.String(length=255), nullable=True),
    sa.Column('self_cp', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('appraised_cp', sa.Integer(), nullable=True),
    sa.Column('appraisal_note', sa.Text(), nullable=True),
    sa.Column('explanation_requested', sa.Boolean(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('second_cp', sa.Integer(), nullable=True),
    sa.Column('second_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['par_item.id'], name=op.f('fk_par_answer_item_id_par_item')),
    sa.ForeignKeyConstraint(['sheet_id'], ['par_sheet.id'], name=op.f('fk_par_answer_sheet_id_par_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_answer')),
    sa.UniqueConstraint('sheet_id', 'item_id', name=op.f('uq_par_answer_sheet_id'))
    )
    with op.batch_alter_table('par_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_answer_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('par_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['par_item.id'], name=op.f('fk_par_history_item_id_par_item')),
    sa.ForeignKeyConstraint(['sheet_id'], ['par_sheet.id'], name=op.f('fk_par_history_sheet_id_par_sheet'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_par_history_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_history'))
    )
    with op.batch_alter_table('par_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_history_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('par_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mimetype', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['par_answer.id'], name=op.f('fk_par_evidence_answer_id_par_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_par_evidence_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_evidence'))
    )
    with op.batch_alter_table('par_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_evidence_answer_id'), ['answer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('par_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_evidence_answer_id'))

    op.drop_table('par_evidence')
    with op.batch_alter_table('par_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_history_sheet_id'))

    op.drop_table('par_history')
    with op.batch_alter_table('par_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_answer_sheet_id'))

    op.drop_table('par_answer')
    with op.batch_alter_table('par_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_adjustment_sheet_id'))

    op.drop_table('par_adjustment')
    with op.batch_alter_table('par_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_action_sheet_id'))

    op.drop_table('par_action')
    with op.batch_alter_table('par_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_sheet_round_id'))
        batch_op.drop_index(batch_op.f('ix_par_sheet_agency_id'))

    op.drop_table('par_sheet')
    op.drop_table('par_round')
    with op.batch_alter_table('par_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_item_set_id'))

    op.drop_table('par_item')
    op.drop_table('par_set')
