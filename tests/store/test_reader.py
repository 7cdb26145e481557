"""The app's reader: the same validated layers as the files, fresh within the TTL, SQL filtering = pandas."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.store import importer, postgis
from src.view import View

FILES = load_dataset(DEFAULT_DATA_DIR)
VIEWS = [
    View(),
    View(query="Zvečan"),
    View(query="Звечан барикада"),
    View(categories=("riot", "protest"), municipalities=("north-mitrovica",)),
    View(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), precisions=("exact", "settlement")),
    View(query="50%_"),
]


@pytest.fixture
def store(pg_url) -> postgis.Store:
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    return postgis.Store(pg_url, ttl=0.5)


def test_the_store_gives_the_files_layers(store) -> None:
    data = store.dataset()
    assert data.problems == []
    for name, layer in FILES.layers.items():
        pd.testing.assert_frame_equal(data.frame(name), layer.frame, check_dtype=False, obj=name)
    assert data.sources == FILES.sources
    assert (data.attributions, data.profiles) == (FILES.attributions, FILES.profiles)


def test_a_change_shows_after_the_ttl_and_not_before(store) -> None:
    first = store.dataset()
    with psycopg.connect(store.url) as conn:
        conn.execute("UPDATE crossings SET status = 'closed' WHERE id = 'jarinje'")
    assert store.dataset() is first  # within the TTL: the same snapshot
    time.sleep(store.ttl + 0.1)
    status = store.dataset().frame("crossings").set_index("id")["status"]
    assert status["jarinje"] == "closed"


def test_no_change_no_reload(store) -> None:
    first = store.dataset()
    time.sleep(store.ttl + 0.1)
    assert store.dataset() is first


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: repr(v)[:60])
def test_sql_filtering_selects_what_pandas_selects(store, view, monkeypatch) -> None:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    assert store.incidents_in_sql() and store.dataset().incidents.empty
    expected = filter_incidents(FILES.incidents, view)
    got = store.filtered(view)
    assert sorted(got["id"]) == sorted(expected["id"])
    assert store.count(view) == len(expected)
    if len(expected):
        assert_same_incidents(got, expected)


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: repr(v)[:60])
def test_a_count_of_more_than_the_point_limit_is_its_cells_sum(store, view, monkeypatch) -> None:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    monkeypatch.setattr(postgis, "POINT_LIMIT", 1)  # every view with two or more incidents counts by cells
    expected = filter_incidents(FILES.incidents, view)
    assert store.count(view) == len(expected)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by id, counts as numbers; without the search text (SQL has filtered by it already)."""
    out = frame.drop(columns=["geometry", "search_text"]).set_index("id").sort_index()
    counts = ("fatalities", "fatalities_low", "fatalities_high", "injuries", "injuries_low", "injuries_high")
    return out.assign(**{c: pd.to_numeric(out[c]).astype("float64") for c in counts})


def assert_same_incidents(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(comparable(got), comparable(expected)[comparable(got).columns], check_dtype=False)


def test_bounding_box_and_cells(store, monkeypatch) -> None:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    view = View(center=(42.89, 20.87), zoom=14)
    west, south, east, north = postgis.view_bbox(view)
    inside = FILES.incidents[FILES.incidents["longitude"].between(west, east)]
    inside = inside[inside["latitude"].between(south, north)]
    assert 0 < len(inside) < len(FILES.incidents)
    assert sorted(store.filtered(view, bbox=(west, south, east, north))["id"]) == sorted(inside["id"])
    cells = store.cells(View())
    assert cells["count"].sum() == len(FILES.incidents) and len(cells) < len(FILES.incidents)
    half = postgis.CELL_DEGREES / 2 + 1e-9  # every incident lies in a cell drawn at most half a cell away
    for lat, lon in FILES.incidents[["latitude", "longitude"]].itertuples(index=False):
        near = cells[(cells["latitude"] - lat).abs().le(half) & (cells["longitude"] - lon).abs().le(half)]
        assert len(near) == 1, (lat, lon)
    riots = View(categories=("riot",), start=dt.date(2023, 1, 1))
    assert store.cells(riots)["count"].sum() == len(filter_incidents(FILES.incidents, riots)) == store.count(riots)


def test_more_than_the_point_limit_gives_the_newest(store, monkeypatch) -> None:
    monkeypatch.setattr(postgis, "INLINE_LIMIT", 0)
    newest = FILES.incidents.sort_values(["date", "id"], ascending=[False, True])
    assert list(store.filtered(View(), limit=10, newest=5)["id"]) == list(newest.head(5)["id"])
    riots = newest[newest["category"] == "riot"]
    assert list(store.filtered(View(categories=("riot",)), limit=len(riots))["id"]) == list(riots["id"])


def test_stored_search_text_is_the_files_search_text(store) -> None:
    """Own words per record plus what the place adds (once per distinct place) = src.layers.incidents.search_texts."""
    with psycopg.connect(store.url) as conn:
        rows = conn.execute(
            "SELECT t.id, t.search_text || ' | ' || p.search_text FROM incidents t JOIN incident_place_texts p"
            " USING (place, place_sq, place_sr) WHERE p.municipality = t.municipality::text"
        ).fetchall()
    expected = FILES.incidents.set_index("id")["search_text"]
    assert len(rows) == len(expected)
    assert dict(rows) == expected.to_dict()


@pytest.mark.parametrize("word", ["banjska", "jarinje"])
def test_a_text_search_can_use_the_trigram_and_place_indexes(store, word) -> None:
    """Without the scan, a word is still found: through the trigram index (the record's own words) and the
    place index (its place's names). Real data is too small for the planner to choose them unasked."""
    assert store._places(word), f"{word!r} names no place: the test needs one that does"
    condition, params = postgis.where_clause(View(query=word), store._places)
    with psycopg.connect(store.url) as conn:
        conn.execute("SET enable_seqscan = off")
        rows = conn.execute(f"EXPLAIN SELECT t.id FROM incidents t WHERE {condition}", params).fetchall()
    plan = "\n".join(row[0] for row in rows)
    assert "Index Scan on incidents_search" in plan and "Index Scan on incidents_place" in plan, plan


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="ab%_\\ ", max_size=12), word=st.text(alphabet="ab%_\\", min_size=1, max_size=4))
def test_a_like_pattern_matches_exactly_the_texts_holding_the_word(pg_url, text, word) -> None:
    with psycopg.connect(pg_url) as conn:
        matches = conn.execute("SELECT %s LIKE %s", (text, postgis.like_pattern(word))).fetchone()[0]
    assert matches == (word in text)
