"""Term rules per body.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A term of so many years from a first day, at most so many terms in a row, and how long before a term ends
it is listed as ending. Every body keeps what it had: it follows the election period or has no rule, no limit on terms, and 90 days'
warning, the number the dashboard used for all.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('term_years', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('term_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('max_terms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warning_days', sa.Integer(), server_default='90', nullable=False))
        batch_op.create_check_constraint(op.f('ck_organisations_term_years'),
                                         'term_years IS NULL OR term_years BETWEEN 1 AND 20')
        batch_op.create_check_constraint(op.f('ck_organisations_max_terms'), 'max_terms IS NULL OR max_terms >= 1')
        batch_op.create_check_constraint(op.f('ck_organisations_warning_days'), 'warning_days BETWEEN 0 AND 730')


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisations_warning_days'), type_='check')
        batch_op.drop_constraint(op.f('ck_organisations_max_terms'), type_='check')
        batch_op.drop_constraint(op.f('ck_organisations_term_years'), type_='check')
        batch_op.drop_column('warning_days')
        batch_op.drop_column('max_terms')
        batch_op.drop_column('term_start')
        batch_op.drop_column('term_years')
