"""The benchmarks' throwaway PostgreSQL databases: created empty under a prefix of the benchmark's own, so
that a left-over one says where it came from, and dropped afterwards.

REGISTRY_TEST_POSTGRES_URL names the server, as for the tests; BENCH_DATABASE_PREFIX overrides the prefix.
"""

import os
import uuid

import psycopg
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def create(prefix: str) -> tuple[str, str]:
    """A new, empty database: its name and its SQLAlchemy URL (psycopg 3)."""
    name = f"{os.environ.get('BENCH_DATABASE_PREFIX', prefix)}{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
    return name, url.render_as_string(hide_password=False)


def drop(name: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
