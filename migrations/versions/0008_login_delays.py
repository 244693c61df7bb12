"""Login throttling per username and address instead of per account.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Generated, then reviewed. A lock per account let anyone lock anyone out;
login_delays counts failures per (username, address) pair, for usernames that
exist and those that do not alike (auth/services.py says why). The account
columns go: a lock in force when upgrading is forgotten, which the owner
would want anyway.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_delays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username_key', sa.String(length=64), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('delayed_until', sa.DateTime(), nullable=True),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_delays')),
    sa.UniqueConstraint('username_key', 'remote_addr', name='uq_login_delays_username_key')
    )
    with op.batch_alter_table('login_delays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_delays_last_at'), ['last_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))

    with op.batch_alter_table('login_delays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_delays_last_at'))

    op.drop_table('login_delays')
