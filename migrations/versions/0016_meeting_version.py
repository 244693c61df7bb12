"""Meetings are edited by the secretariat: a version for optimistic locking, as the other edited records have.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

One new column, 1 on every existing meeting. The meetings table has none of 0001's triggers, so the batch
(which on SQLite recreates the table) drops nothing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('version')
