"""The map page with GEODATA_URL: the app reads PostGIS, and shows a change after the TTL."""

from __future__ import annotations

import time

import psycopg
import pytest

from src.config import DEFAULT_DATA_DIR
from src.store import importer, postgis
from tests.conftest import open_app
from tests.test_app import count_text, map_args


@pytest.fixture
def app_url(pg_url, monkeypatch) -> str:
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    monkeypatch.setenv("GEODATA_URL", pg_url)
    monkeypatch.setenv("GEODATA_TTL", "0.5")
    return pg_url


def test_map_page_reads_the_store_and_sees_a_new_incident(app_url) -> None:
    at = open_app()
    assert not at.exception
    assert count_text(at) == "**236** of 236 incidents match the filters"
    with psycopg.connect(app_url) as conn:
        conn.execute(
            "UPDATE incidents SET title = 'Changed in PostGIS' WHERE id = 'inc-20210920-brnjak-plates-barricade'"
        )
    time.sleep(0.6)
    at = open_app(q="changed in postgis")
    assert count_text(at) == "**1** of 236 incidents match the filters"
    assert "Changed in PostGIS" in map_args(at)["script"]


def test_map_page_with_incidents_filtered_in_sql(app_url, monkeypatch) -> None:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    postgis._STORES.clear()
    at = open_app(cat="riot")
    assert not at.exception
    assert count_text(at).startswith("**")
    assert "L.incidentLayer(" in map_args(at)["script"]
