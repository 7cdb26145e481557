"""A real, throwaway PostgreSQL + PostGIS cluster for the store's tests, and a fresh database per test.

The cluster is made with Debian's initdb/pg_ctl in a temporary folder on a free loopback port (55400-55499)
and removed afterwards. Without PostgreSQL the store's tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from src.store import cluster
from src.store.migrate import migrate

TEMPLATE = "store_template"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[cluster.Cluster]:
    if not cluster.available():
        message = "PostgreSQL with PostGIS is not installed (apt-get install postgresql postgresql-15-postgis-3)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="nk-store-test-"))
    server = cluster.start(folder, settings=cluster.FAST_SETTINGS)
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    migrate(server.url.rsplit("/", 1)[0] + f"/{TEMPLATE}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: cluster.Cluster) -> Iterator[str]:
    """A new database with the schema already migrated (copied from a template: fast)."""
    name = f"store_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield pg_server.url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
