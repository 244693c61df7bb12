"""The election-period round: the KKR's composition and valggrupper per period, recorded share-outs, the
valggruppe holding a seat, council mandates, and nominations saved as drafts.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

New tables and nullable columns only: every row stays as it was. A draft nomination is the party group's own
until it submits it; the status is a VARCHAR with a named CHECK, replaced as in 0009.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

STATUSES = ('submitted', 'returned', 'withdrawn', 'on_agenda', 'pending', 'appointed', 'not_supported',
            'not_appointed')


def _check(values):
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    op.create_table(
        'electoral_groups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['election_periods.id'],
                                name=op.f('fk_electoral_groups_period_id_election_periods')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_electoral_groups')),
        sa.UniqueConstraint('period_id', 'name', name='uq_electoral_groups_period_name'),
    )
    op.create_table(
        'period_parties',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=False),
        sa.Column('members', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('members >= 0', name=op.f('ck_period_parties_members')),
        sa.ForeignKeyConstraint(['period_id'], ['election_periods.id'],
                                name=op.f('fk_period_parties_period_id_election_periods')),
        sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_period_parties_party_id_parties')),
        sa.ForeignKeyConstraint(['group_id'], ['electoral_groups.id'],
                                name=op.f('fk_period_parties_group_id_electoral_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_period_parties')),
        sa.UniqueConstraint('period_id', 'party_id', name='uq_period_parties_period_party'),
    )
    op.create_table(
        'share_outs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('seats', sa.Integer(), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('lot', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('seats >= 1', name=op.f('ck_share_outs_seats')),
        sa.ForeignKeyConstraint(['period_id'], ['election_periods.id'],
                                name=op.f('fk_share_outs_period_id_election_periods')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_share_outs_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_share_outs_made_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_share_outs')),
    )
    op.create_index(op.f('ix_share_outs_period_id'), 'share_outs', ['period_id'])
    op.create_table(
        'council_mandates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=True),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('office', sa.String(100), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('end_date IS NULL OR end_date >= start_date',
                           name=op.f('ck_council_mandates_ends_after_start')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_council_mandates_person_id_persons')),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'],
                                name=op.f('fk_council_mandates_municipality_id_municipalities')),
        sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_council_mandates_party_id_parties')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_mandates')),
        sa.UniqueConstraint('person_id', 'municipality_id', 'start_date', name='uq_council_mandates_person_start'),
    )
    op.create_index(op.f('ix_council_mandates_municipality_id'), 'council_mandates', ['municipality_id'])
    op.create_index(op.f('ix_council_mandates_end_date'), 'council_mandates', ['end_date'])
    with op.batch_alter_table('seat_allocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_seat_allocations_group_id_electoral_groups'), 'electoral_groups',
                                    ['group_id'], ['id'])
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nominations_nominationstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nominations_nominationstatus'), _check(('draft',) + STATUSES))


def downgrade():
    op.execute("DELETE FROM nominations WHERE status = 'draft'")
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nominations_nominationstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nominations_nominationstatus'), _check(STATUSES))
    with op.batch_alter_table('seat_allocations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_seat_allocations_group_id_electoral_groups'), type_='foreignkey')
        batch_op.drop_column('group_id')
    op.drop_index(op.f('ix_council_mandates_end_date'), table_name='council_mandates')
    op.drop_index(op.f('ix_council_mandates_municipality_id'), table_name='council_mandates')
    op.drop_table('council_mandates')
    op.drop_index(op.f('ix_share_outs_period_id'), table_name='share_outs')
    op.drop_table('share_outs')
    op.drop_table('period_parties')
    op.drop_table('electoral_groups')
