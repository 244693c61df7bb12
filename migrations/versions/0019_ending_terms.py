"""The terms ending (issue 15): appointments by end date, then first day; seats by their last day.

Revision ID: 0019_ending_terms
Revises: 0018_decision_paging
Create Date: 2026-12-03

The dashboard lists the terms ending within each body's warning. Its query is a union of narrow branches
(organisations/rosters.py): an end date within the warning, or no end date and a first day in an election
period that ends within it. Both are ranges of one index on (end_date, start_date); without it PostgreSQL
read every seated holder of a national registry (about 47,000) to find none. A third branch, the seats
retiring within the warning, reads the few seats with a last day instead of all 25,000.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_ending_terms'
down_revision = '0018_decision_paging'
branch_labels = None
depends_on = None


# A plain index statement, not batch mode: on SQLite batch mode could copy the table, and its triggers with it.
def upgrade():
    op.create_index('ix_appointments_end_start', 'appointments', ['end_date', 'start_date'], unique=False)
    op.create_index('ix_seats_end_date', 'seats', ['end_date'], unique=False)


def downgrade():
    op.drop_index('ix_seats_end_date', table_name='seats')
    op.drop_index('ix_appointments_end_start', table_name='appointments')
