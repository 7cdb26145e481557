"""The schema: a rerunnable migration whose constraints are the file validation's."""

from __future__ import annotations

import typing

import pandas as pd
import psycopg
import pytest

from src.layers import crossings, police_bases
from src.store import postgis
from src.store.migrate import migrate, migrations
from src.vocabulary import Category, DatePrecision, LocationPrecision


def enum_values(url: str, name: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT unnest(enum_range(NULL::" + name + "))::text").fetchall()
    return [row[0] for row in rows]


def test_migration_is_safe_to_rerun(pg_url) -> None:
    assert migrate(pg_url) == []
    assert migrate(pg_url) == []


def test_the_scale_migration_runs_again_by_hand_and_fills_the_cell(pg_url) -> None:
    [(_, path)] = [m for m in migrations() if m[0] == 3]
    with psycopg.connect(pg_url) as conn:
        conn.execute(path.read_text(encoding="utf-8"))  # type: ignore[arg-type]
        conn.execute(
            "INSERT INTO sources (id, publisher, title) VALUES ('s', 'p', 't');"
            "INSERT INTO incidents (id, date, date_precision, category, title, place, municipality, latitude,"
            " longitude, location_precision) VALUES ('i', '2024-01-01', 'day', 'riot', 't', 'p', 'zvecan',"
            " 42.9123, 20.8456, 'exact')"
        )
        cell = conn.execute("SELECT cell FROM incidents").fetchone()[0]
    latitude, longitude = postgis.cell_centres(pd.Series([cell]))
    assert (latitude[0], longitude[0]) == (pytest.approx(42.915), pytest.approx(20.845))


def test_enums_are_the_models_literals(pg_url) -> None:
    assert enum_values(pg_url, "incident_category") == list(typing.get_args(Category))
    assert enum_values(pg_url, "location_precision") == list(typing.get_args(LocationPrecision))
    assert enum_values(pg_url, "date_precision") == list(typing.get_args(DatePrecision))


def check_text(url: str, table: str) -> str:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'",
            (table,),
        ).fetchall()
    return " ".join(row[0] for row in rows)


@pytest.mark.parametrize(
    ("table", "model", "column"),
    [
        ("crossings", crossings.CrossingRow, "kind"),
        ("crossings", crossings.CrossingRow, "status"),
        ("police_bases", police_bases.PoliceBaseRow, "operator"),
        ("police_bases", police_bases.PoliceBaseRow, "kind"),
    ],
)
def test_checked_choices_are_the_models_literals(pg_url, table, model, column) -> None:
    text = check_text(pg_url, table)
    for value in typing.get_args(model.model_fields[column].annotation):
        assert f"'{value}'::text" in text, (table, column, value)


BASE = (
    "INSERT INTO incidents (id, date, date_precision, category, title, place, municipality, latitude, longitude,"
    " location_precision) VALUES "
)
GOOD = "('inc-x', '2023-01-01', 'day', 'riot', 'T', 'P', 'zvecan', 42.9, 20.8, 'exact')"


@pytest.mark.parametrize(
    "bad",
    [
        GOOD.replace("'riot'", "'picnic'"),  # category
        GOOD.replace("'exact'", "'roughly'"),  # precision
        GOOD.replace("'inc-x'", "'Inc X'"),  # slug
        GOOD.replace("'T'", "''"),  # required text
        GOOD.replace("42.9", "142.9"),  # latitude
        GOOD.replace("'2023-01-01', 'day'", "'2023-01-01', 'week'"),
    ],
)
def test_constraints_refuse_what_the_loader_refuses(pg_url, bad) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute(BASE + GOOD)
        conn.rollback()
        with pytest.raises((psycopg.errors.DataError, psycopg.errors.IntegrityError)):
            conn.execute(BASE + bad)


def test_cited_sources_must_exist(pg_url) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute(BASE + GOOD)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO incident_sources VALUES ('inc-x', 'no-such-source', 0)")
