"""Decision 766 in full (issue 19): the rules as a versioned table (today's shipped as the first version), the
day each procedure version was made public, and the rollup counts the index needs (files resolved in time but
asked for a supplement twice or more, the open ones so asked and those of them overdue, files digitised whole,
files that reused a paper)

Revision ID: c766a1e0b2f3
Revises: 3f8e2a91c6d4
Create Date: 2026-12-07 14:10:00

A database holding files has its rollups recounted at the end of the upgrade (about a minute at 1,000,000 files).
A version already published is taken as made public when it was created (the best the database knows).
"""
from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = 'c766a1e0b2f3'
down_revision = '3f8e2a91c6d4'
branch_labels = None
depends_on = None

NEW_COUNTS = ("resolved_resupplied", "d_resupplied", "d_resupplied_overdue", "digitised_whole", "reusing")

# Version 1 as shipped (index766_rules.SHIPPED), written out here so the migration never changes with the code.
GROUP_MAX = {"transparency": 18, "progress": 20, "online_service": 12, "online_payment": 10, "satisfaction": 18,
             "digitisation": 22}
RULES = [  # group, code (= measure), max, full_at, zero
    ("transparency", "published_on_time", 6, 1.0, "not_applicable"),
    ("transparency", "posted_on_time", 4, 1.0, "not_applicable"),
    ("transparency", "complete_content", 2, 1.0, "not_applicable"),
    ("transparency", "synced", 6, 1.0, "not_applicable"),
    ("progress", "on_time", 20, 1.0, "not_applicable"),
    ("online_service", "online_offered", 2, 0.8, "not_applicable"),
    ("online_service", "online_used", 4, 1.0, "not_applicable"),
    ("online_service", "online_applications", 6, 0.5, "not_applicable"),
    ("online_payment", "paid_online", 6, 1.0, "not_applicable"),
    ("online_payment", "payment_used", 2, 0.8, "not_applicable"),
    ("online_payment", "payment_offered", 2.5, 1.0, "not_applicable"),
    ("satisfaction", "complaints_on_time", 6, 1.0, "full"),
    ("satisfaction", "complaints_satisfied", 6, 1.0, "full"),
    ("satisfaction", "service_satisfaction", 6, 0.9, "not_applicable"),
    ("digitisation", "results_electronic", 6, 1.0, "not_applicable"),
    ("digitisation", "fully_digitised", 4, 1.0, "not_applicable"),
    ("digitisation", "certified_copies", 2, 1.0, "not_applicable"),
    ("digitisation", "papers_reused", 2, 0.8, "not_applicable"),
    ("digitisation", "national_store", 4, 1.0, "not_applicable"),
    ("digitisation", "population_db_applications", 2, 1.0, "not_applicable"),
    ("digitisation", "population_db_procedures", 2, 1.0, "not_applicable"),
]


def upgrade():
    version = op.create_table(
        'index766_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('loaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['loaded_by_id'], ['user.id'], name=op.f('fk_index766_version_loaded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index766_version')),
        sa.UniqueConstraint('effective_from', name=op.f('uq_index766_version_effective_from')),
    )
    rule = op.create_table(
        'index766_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('group_code', sa.String(length=32), nullable=False),
        sa.Column('group_max', sa.Float(), nullable=False),
        sa.Column('code', sa.String(length=48), nullable=False),
        sa.Column('measure', sa.String(length=48), nullable=False),
        sa.Column('max_points', sa.Float(), nullable=False),
        sa.Column('full_at', sa.Float(), nullable=False),
        sa.Column('zero_rule', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['index766_version.id'],
                                name=op.f('fk_index766_rule_version_id_index766_version'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index766_rule')),
        sa.UniqueConstraint('version_id', 'code', name=op.f('uq_index766_rule_version_id')),
    )
    op.create_index(op.f('ix_index766_rule_version_id'), 'index766_rule', ['version_id'], unique=False)
    loaded = datetime.now(timezone.utc)
    if op.get_bind().dialect.name == "sqlite":  # stored as UTC without an offset there, as UTCDateTime does
        loaded = loaded.replace(tzinfo=None)
    op.bulk_insert(version, [{"id": 1, "effective_from": date(2022, 6, 23), "loaded_at": loaded,
                              "note": "Quyết định 766/QĐ-TTg ngày 23/6/2022"}])
    op.bulk_insert(rule, [{"version_id": 1, "position": n, "group_code": group, "group_max": GROUP_MAX[group],
                           "code": code, "measure": code, "max_points": points, "full_at": full_at, "zero_rule": zero}
                          for n, (group, code, points, full_at, zero) in enumerate(RULES)])
    if op.get_bind().dialect.name == "postgresql":  # the sequence goes on after the row written with its id
        op.execute("SELECT setval(pg_get_serial_sequence('index766_version', 'id'), 1)")
    op.add_column('procedure_version', sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE procedure_version SET published_at = created_at WHERE status <> 'draft'")
    for name in NEW_COUNTS:
        op.add_column('rollup', sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    # A database with files recounts its rollups here, so the new counts (and those earlier migrations of this
    # round added at 0: online, digitised, synced) hold their files from the start; an empty one has nothing to count.
    if op.get_bind().execute(sa.text("SELECT 1 FROM application LIMIT 1")).first() is not None:
        from onestop.extensions import db
        from onestop.tracking.supervision import recount

        recount.rebuild(connection=op.get_bind())
        db.session.rollback()  # the calendar was read through the app's session: hold no stale snapshot


def downgrade():
    with op.batch_alter_table('rollup', schema=None) as batch_op:  # nothing points at the rollups: a rebuild is safe
        for name in NEW_COUNTS:
            batch_op.drop_column(name)
    op.drop_column('procedure_version', 'published_at')  # plain: a batch rebuild fails, applications point at it
    op.drop_index(op.f('ix_index766_rule_version_id'), table_name='index766_rule')
    op.drop_table('index766_rule')
    op.drop_table('index766_version')
