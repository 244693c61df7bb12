"""A nomination the outside authority did not appoint: status "not_appointed" (ikke beskikket), and its day.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

The status is a VARCHAR with a named CHECK constraint (the registry's enums are not native), so the new
value is a new CHECK. On SQLite the batch recreates the table and keeps its other named CHECKs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BEFORE = ('submitted', 'returned', 'withdrawn', 'on_agenda', 'pending', 'appointed', 'not_supported')
AFTER = BEFORE + ('not_appointed',)


def _check(values):
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_appointed_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('ck_nominations_nominationstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nominations_nominationstatus'), _check(AFTER))


def downgrade():
    op.execute("UPDATE nominations SET status = 'pending' WHERE status = 'not_appointed'")
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nominations_nominationstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nominations_nominationstatus'), _check(BEFORE))
        batch_op.drop_column('not_appointed_on')
