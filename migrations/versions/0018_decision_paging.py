"""Decisions in pages (issue 15): meetings by date, a decision's appointments by (decision, role, id).

Revision ID: 0018_decision_paging
Revises: 0017_national_indexes
Create Date: 2026-12-03

The history lists the first few people of each decision, member before suppleant, and a decision's own page
goes through the rest by the same key. One index on (decision_id, role, id) gives both straight from the
index, and replaces the one on decision_id alone, which it covers. The list itself, newest meeting first,
reads meetings by date (the unique index on council and date cannot serve that order) and stops after a page.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_decision_paging'
down_revision = '0017_national_indexes'
branch_labels = None
depends_on = None


# Plain index statements, not batch mode: on SQLite batch mode could copy the table, and its triggers with it.
def upgrade():
    op.create_index('ix_appointments_decision_role', 'appointments', ['decision_id', 'role', 'id'], unique=False)
    op.drop_index('ix_appointments_decision_id', table_name='appointments')
    op.create_index('ix_meetings_date', 'meetings', ['date'], unique=False)


def downgrade():
    op.drop_index('ix_meetings_date', table_name='meetings')
    op.create_index('ix_appointments_decision_id', 'appointments', ['decision_id'], unique=False)
    op.drop_index('ix_appointments_decision_role', table_name='appointments')
