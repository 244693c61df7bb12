"""Bodies as they are: kinds of seat, pooled suppleants, who fills and nominates each seat, and offices.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Every seat stays what it was: a voting seat that KKR fills, with the body's appointing authority and a
party group nominating. Every appointment keeps no office. New columns only; nothing is rewritten.

The offices go on appointments, and on SQLite a batch would recreate that table and drop the one-holder
triggers of 0001, so there the columns come with plain ALTER TABLE ADD COLUMN, their CHECKs inline.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

SEAT_KINDS = ('voting', 'observer', 'ex_officio', 'pooled_substitute')
FILLERS = ('kkr', 'other')
OFFICES = ('chair', 'vice_chair', 'other')
CHOOSERS = ('kkr', 'body')


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


SEAT_CHECKS = {
    'ck_seats_seatkind': _in('kind', SEAT_KINDS),
    'ck_seats_seatfiller': _in('filled_by', FILLERS),
    # An ex officio seat names the office that holds it; no other seat does.
    'ck_seats_ex_officio': "(kind = 'ex_officio') = (ex_officio IS NOT NULL)",
    # A pooled suppleant's seat is one rank of the pool (1, 2, 3 …) and has no personal suppleant of its own.
    'ck_seats_pool_rank': "(kind = 'pooled_substitute') = (pool_rank IS NOT NULL) AND (pool_rank IS NULL OR pool_rank >= 1)",
    'ck_seats_pool_no_substitute': "kind <> 'pooled_substitute' OR NOT has_substitute",
}
APPOINTMENT_CHECKS = {
    'ck_appointments_office': 'office IS NULL OR ' + _in('office', OFFICES),
    'ck_appointments_officechooser': 'office_chosen_by IS NULL OR ' + _in('office_chosen_by', CHOOSERS),
    # An office says who chose it; only "other" offices carry their own title; no office, no office fields.
    'ck_appointments_office_fields': (
        "(office IS NULL AND office_chosen_by IS NULL AND office_title IS NULL AND office_start IS NULL "
        "AND office_end IS NULL) OR (office IS NOT NULL AND office_chosen_by IS NOT NULL "
        "AND (office = 'other') = (office_title IS NOT NULL))"),
    'ck_appointments_office_dates': 'office_end IS NULL OR office_start IS NULL OR office_end >= office_start',
}
APPOINTMENT_COLUMNS = [
    ('office', 'VARCHAR(10)', sa.String(10)),
    ('office_title', 'VARCHAR(100)', sa.String(100)),
    ('office_chosen_by', 'VARCHAR(4)', sa.String(4)),
    ('office_start', 'DATE', sa.Date()),
    ('office_end', 'DATE', sa.Date()),
]
# On SQLite each CHECK rides on one column's ADD COLUMN: the last column any of them names.
SQLITE_CARRIER = {'ck_appointments_office': 'office', 'ck_appointments_officechooser': 'office_chosen_by',
                  'ck_appointments_office_fields': 'office_end', 'ck_appointments_office_dates': 'office_end'}


def upgrade():
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(17), server_default='voting', nullable=False))
        batch_op.add_column(sa.Column('ex_officio', sa.String(200), nullable=True))
        batch_op.add_column(sa.Column('pool_rank', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('filled_by', sa.String(5), server_default='kkr', nullable=False))
        batch_op.add_column(sa.Column('appointing_authority', sa.String(200), nullable=True))
        batch_op.add_column(sa.Column('authority_is_external', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('nominated_by', sa.String(200), nullable=True))
        for name, condition in SEAT_CHECKS.items():
            batch_op.create_check_constraint(op.f(name), condition)

    if op.get_bind().dialect.name == 'sqlite':
        for column, sql_type, _type in APPOINTMENT_COLUMNS:
            checks = " ".join(f"CONSTRAINT {name} CHECK ({APPOINTMENT_CHECKS[name]})"
                              for name, carrier in SQLITE_CARRIER.items() if carrier == column)
            op.execute(f"ALTER TABLE appointments ADD COLUMN {column} {sql_type} {checks}".rstrip())
    else:
        for column, _sql_type, column_type in APPOINTMENT_COLUMNS:
            op.add_column('appointments', sa.Column(column, column_type, nullable=True))
        for name, condition in APPOINTMENT_CHECKS.items():
            op.create_check_constraint(op.f(name), 'appointments', condition)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # Last added, first dropped: a column's own CHECKs go with it (SQLite 3.35 and later).
        for column, _sql_type, _type in reversed(APPOINTMENT_COLUMNS):
            op.execute(f"ALTER TABLE appointments DROP COLUMN {column}")
    else:
        for name in APPOINTMENT_CHECKS:
            op.drop_constraint(op.f(name), 'appointments', type_='check')
        for column, _sql_type, _type in reversed(APPOINTMENT_COLUMNS):
            op.drop_column('appointments', column)
    with op.batch_alter_table('seats', schema=None) as batch_op:
        for name in reversed(SEAT_CHECKS):
            batch_op.drop_constraint(op.f(name), type_='check')
        for column in ('nominated_by', 'authority_is_external', 'appointing_authority', 'filled_by',
                       'pool_rank', 'ex_officio', 'kind'):
            batch_op.drop_column(column)
