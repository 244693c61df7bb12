"""Reminders that go out by themselves: why each message was written (messages.kind), and the reminders
that have gone out (reminders), each under a unique key so that none goes out twice.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

A new table and a nullable column. The messages written before it get the kind their writer would give
them now, read from what they are: a message about one nomination, a call, the round's reminder, and
otherwise news of nominations (several at once, or the constituent meeting's agenda).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

KINDS = ('status', 'call', 'round_reminder', 'call_due', 'call_overdue', 'term_ending', 'awaiting_authority',
         'weekly_digest')


def _kind():
    return sa.Enum(*KINDS, name='messagekind', native_enum=False, create_constraint=True, length=18)


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', _kind(), nullable=True))
    messages = sa.table('messages', sa.column('kind', sa.String), sa.column('subject', sa.String),
                        sa.column('nomination_id', sa.Integer))
    # The subjects as services.py has written them since 0003.
    op.execute(messages.update().where(messages.c.nomination_id.is_(None),
                                       messages.c.subject.like('Opfordring til indstilling%')).values(kind='call'))
    op.execute(messages.update().where(messages.c.nomination_id.is_(None),
                                       messages.c.subject.like('Påmindelse:%')).values(kind='round_reminder'))
    op.execute(messages.update().where(messages.c.kind.is_(None)).values(kind='status'))

    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(120), nullable=False),
        sa.Column('kind', _kind(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
        sa.UniqueConstraint('key', name=op.f('uq_reminders_key')),
    )


def downgrade():
    op.drop_table('reminders')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_messages_messagekind'), type_='check')
        batch_op.drop_column('kind')
