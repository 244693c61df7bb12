"""Nominations by organisations: a nomination names a party group or the organisation that nominates.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Seats nominated by an organisation (0012's seats.nominated_by: Dansk Industri, FH, Praksisudvalget) get their
nominations through the secretariat, which records them with no party group. party_id becomes nullable, and
the organisation's name is kept on the nomination as it was when nominated; a named CHECK keeps exactly one of
the two. Existing rows all name a party group and stay as they are.

Going back would have to drop the organisations' nominations, and with them part of the history of KKR's
decisions: the downgrade refuses while any exists, and deletes nothing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

ONE_NOMINATOR = '(party_id IS NULL) <> (nominated_by IS NULL)'


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nominated_by', sa.String(200), nullable=True))
        batch_op.alter_column('party_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_nominations_one_nominator'), ONE_NOMINATOR)


def downgrade():
    count = op.get_bind().execute(sa.text('SELECT count(*) FROM nominations WHERE party_id IS NULL')).scalar()
    if count:
        raise RuntimeError(
            f"Cannot downgrade below 0013: {count} nomination(s) were made by an organisation, not a party "
            "group, and 0012 has no place for them. Delete them (or give them a party group) first, knowing "
            "that a decided one is part of KKR's history of decisions; nothing was changed.")
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nominations_one_nominator'), type_='check')
        batch_op.alter_column('party_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('nominated_by')
