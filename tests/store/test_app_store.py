"""The map page with GEODATA_URL: the app reads PostGIS, and shows a change after the TTL."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import numpy as np
import psycopg
import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.drawing import store_view
from src.filters import filter_incidents
from src.store import importer, postgis
from src.ui.controls import date_bounds
from src.view import DATES_WIDGET, View
from tests.conftest import open_app
from tests.test_app import count_text, map_args, map_texts, published

FILES = load_dataset(DEFAULT_DATA_DIR)


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
    assert "Changed in PostGIS" in map_texts(at)["title"]  # the refreshed data's map and popup texts


def bridge_view(at) -> dict:
    """What the page sent the map's store layer through the bridge on this run."""
    [component] = [c for c in at.get("component_instance") if "store_bridge" in c.proto.component_name]
    return json.loads(component.proto.json_args)["filters"]["map:incidents"]


@pytest.fixture
def in_sql(app_url, monkeypatch) -> Iterator[str]:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    postgis._STORES.clear()
    yield app_url
    postgis._STORES.clear()


def test_map_page_with_incidents_filtered_in_sql_draws_the_views_points(in_sql) -> None:
    at = open_app(cat="riot")
    assert not at.exception
    riots = filter_incidents(FILES.incidents, View(categories=("riot",)))
    assert count_text(at) == f"**{len(riots)}** of {len(FILES.incidents)} incidents match the filters"
    script = map_args(at)["script"]
    # The map holds no incident: a layer made with its data would be L.incidentLayer({...}); the layers' own code
    # in the script (src/drawing/templates.own_script) only calls it with a view sent later.
    assert "L.storeViewLayer({" in script and "L.incidentLayer({" not in script
    sent = bridge_view(at)
    assert sent["n"] == len(riots) and sent["points"]["draw"]["n"] == len(riots)
    assert sorted(published(sent["points"]["texts"])["id"]) == sorted(riots["id"])  # a file, fetched on click
    assert at.date_input(key=DATES_WIDGET).value == date_bounds(FILES)  # the store's dates, not this year's


def test_a_view_with_more_incidents_than_the_point_limit_is_drawn_as_cells(in_sql, monkeypatch) -> None:
    monkeypatch.setattr(store_view, "MAP_POINT_LIMIT", 100)
    at = open_app()
    assert not at.exception
    sent = bridge_view(at)
    assert "points" not in sent and sent["n"] == len(FILES.incidents)
    counts = np.frombuffer(base64.b64decode(sent["cells"]["count"]), dtype=np.uint32)
    assert counts.sum() == len(FILES.incidents) and 1 < len(counts) < len(FILES.incidents)
    born = map_args(at)["script"]
    at = open_app(cat="riot")  # a filter change: the map's own script is the same, the view is not
    assert map_args(at)["script"] == born
    assert bridge_view(at)["points"]["draw"]["n"] == len(filter_incidents(FILES.incidents, View(categories=("riot",))))
