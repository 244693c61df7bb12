"""The day a meeting's agenda was made public (offentliggjort).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Until now every saved agenda text was public at once, naming candidates KKR
had yet to decide on. From here a meeting's saved texts are public from the
day the secretariat publishes its agenda. Meetings that have already been
held were public, and stay so: their published_on is their date. Meetings
still to come wait for the secretariat to publish them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_on', sa.Date(), nullable=True))
    meetings = sa.table('meetings', sa.column('date', sa.Date), sa.column('published_on', sa.Date))
    op.execute(meetings.update().where(meetings.c.date <= sa.func.current_date())
               .values(published_on=meetings.c.date))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('published_on')
