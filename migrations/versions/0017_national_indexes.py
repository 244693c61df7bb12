"""Indexes for a national registry (issue 15): the public pages at 300,000 appointments.

Revision ID: 0017_national_indexes
Revises: 0016
Create Date: 2026-12-03

Search by part of a name (`senturk` finds Şentürk) is a LIKE '%…%' on the search key, which no btree can
serve: on PostgreSQL the search key's index becomes a trigram GIN index (pg_trgm), under the same name.
SQLite has no trigrams: its btree stays, and it scans as it always has.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_national_indexes'
down_revision = '0016'
branch_labels = None
depends_on = None

TABLES = ('persons', 'organisations')


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for table in TABLES:
        op.execute(f'DROP INDEX ix_{table}_search_name')
        op.execute(f'CREATE INDEX ix_{table}_search_name ON {table} USING gin (search_name gin_trgm_ops)')


def downgrade():
    if not _postgresql():
        return
    for table in reversed(TABLES):
        op.execute(f'DROP INDEX ix_{table}_search_name')
        op.execute(f'CREATE INDEX ix_{table}_search_name ON {table} (search_name)')
