"""Search keys for people and organisations: a folded name to find them by part of it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

search_name is the name lowercased with æ → ae, ø → oe, å → aa and other
accents stripped, so `jorgensen` finds Jørgensen and `taarbaek`
Lyngby-Taarbæk. The column is added empty, filled for the rows there are,
then made NOT NULL and indexed. Batch mode rebuilds the tables on SQLite.

The folding is copied below as registry.types.search_key was when this
migration was written: a migration must do tomorrow what it did the day it
was written, whatever the live function becomes.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ('persons', 'organisations')

_DANISH_SPELLED_OUT = str.maketrans({'æ': 'ae', 'ø': 'oe', 'å': 'aa'})


def search_key(text: str) -> str:
    """registry.types.search_key as of this revision."""
    folded = text.casefold().translate(_DANISH_SPELLED_OUT)
    decomposed = unicodedata.normalize('NFKD', folded)
    return ''.join(c for c in decomposed if not unicodedata.combining(c))


def _fill(table_name: str) -> None:
    connection = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('search_name', sa.String))
    rows = [{'row_id': row.id, 'key': search_key(row.name)}
            for row in connection.execute(sa.select(table.c.id, table.c.name))]
    if rows:
        connection.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                           .values(search_name=sa.bindparam('key')), rows)


def upgrade():
    for table_name in TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_name', sa.String(length=400), nullable=True))
        _fill(table_name)
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column('search_name', existing_type=sa.String(length=400), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table_name}_search_name'), ['search_name'], unique=False)


def downgrade():
    for table_name in reversed(TABLES):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table_name}_search_name'))
            batch_op.drop_column('search_name')
