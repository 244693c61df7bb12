"""The audit trail cannot be emptied with TRUNCATE either.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The append-only triggers of 0001 guard rows (UPDATE, DELETE), but TRUNCATE
empties a PostgreSQL table without touching rows one by one. A statement
trigger BEFORE TRUNCATE refuses it. SQLite has no TRUNCATE: its
"DELETE FROM" without WHERE runs the row triggers when there are any, so the
row triggers of 0001 already hold there. A restore (registry/backup.py) drops
and recreates the tables whole, which TRUNCATE triggers do not concern.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TRUNCATE_GUARD = """
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(TRUNCATE_GUARD)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
