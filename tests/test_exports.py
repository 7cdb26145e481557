"""Downloads: the CSV is safe in a spreadsheet, the GeoJSON is RFC 7946 and round-trips through geopandas."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.exports import LICENCE, neutralise, to_csv, to_geojson

DATA = load_dataset(DEFAULT_DATA_DIR)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_text_is_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_plain_text_and_numbers_are_untouched() -> None:
    assert neutralise("Zvečan") == "Zvečan" and neutralise(-3) == -3 and neutralise(4.5) == 4.5


def test_csv_export_neutralises_formula_cells_and_keeps_the_rest() -> None:
    hostile = DATA.incidents.iloc[:2].copy()
    hostile.loc[hostile.index[0], "title"] = '=HYPERLINK("http://evil.example","click")'
    hostile.loc[hostile.index[1], "description"] = "@SUM(1+1)"
    hostile.loc[hostile.index[1], "actors"] = "-police"
    exported = pd.read_csv(io.BytesIO(to_csv(hostile, DATA.sources)), encoding="utf-8-sig", dtype=str)
    assert exported.loc[0, "title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert exported.loc[1, "description"] == "'@SUM(1+1)" and exported.loc[1, "actors"] == "'-police"
    assert exported.loc[0, "id"] == hostile["id"].iloc[0]
    formula_cells = sum(exported[c].dropna().str.match(r"^[=+\-@\t\r]").sum() for c in exported.columns)
    assert formula_cells == 0
    assert set(exported["licence"]) == {LICENCE}


def test_csv_export_has_exactly_the_filtered_rows_with_sources_spelled_out() -> None:
    rows = DATA.incidents[DATA.incidents["municipality"] == "zvecan"]
    exported = pd.read_csv(io.BytesIO(to_csv(rows, DATA.sources)), encoding="utf-8-sig", dtype=str)
    assert list(exported["id"]) == list(rows["id"])
    first_source = DATA.sources[rows["sources"].iloc[0][0]]
    assert first_source["publisher"] in exported.loc[0, "source_citations"]


def test_geojson_export_round_trips_through_geopandas() -> None:
    rows = DATA.incidents[DATA.incidents["category"].isin(["riot", "armed_clash", "barricade"])]
    payload = to_geojson(rows, DATA.sources)
    document = json.loads(payload)
    assert document["type"] == "FeatureCollection" and document["licence"] == LICENCE and "crs" not in document
    back = gpd.read_file(io.BytesIO(payload))
    assert back.crs.to_epsg() == 4326
    assert list(back["id"]) == list(rows["id"])
    assert (abs(back.geometry.x.to_numpy() - rows["longitude"].to_numpy()) < 1e-6).all()
    assert (abs(back.geometry.y.to_numpy() - rows["latitude"].to_numpy()) < 1e-6).all()
    assert list(back["title"]) == list(rows["title"])
