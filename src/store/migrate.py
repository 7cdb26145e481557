"""Creates or updates the store's schema: numbered SQL files in migrations/, each applied once, in order.

Safe to rerun (applied versions are recorded in schema_migrations) and safe to run from several replicas at
once (an advisory lock serialises them). `python -m src.store.migrate postgresql://…`
"""

from __future__ import annotations

import argparse
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
LOCK_ID = 0x6E6B6D6170  # any constant shared by every copy of the app: "nkmap"


def migrations() -> list[tuple[int, Path]]:
    """(version, file) for every migration, by version: 0001_schema.sql is version 1."""
    return sorted((int(path.name.split("_", 1)[0]), path) for path in MIGRATIONS_DIR.glob("[0-9]*_*.sql"))


def migrate(url: str) -> list[int]:
    """Applies the migrations this database has not had yet, each in its own transaction; their versions."""
    applied_now = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, path in migrations():
                if version in done:
                    continue
                with conn.transaction():
                    conn.execute(path.read_text(encoding="utf-8"))  # type: ignore[arg-type]
                    conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
                applied_now.append(version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_ID,))
    return applied_now


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgresql://user@host:port/database")
    applied = migrate(parser.parse_args(argv).url)
    print(f"applied migrations: {', '.join(map(str, applied))}" if applied else "schema is up to date")


if __name__ == "__main__":
    main()
