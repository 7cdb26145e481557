"""The GeoJSON layers (municipalities, outline, settlements) on the committed files and on broken copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.layers import municipalities, outline, settlements

GEOJSON_LAYERS = [municipalities.LAYER, outline.LAYER, settlements.LAYER]
NORTH = {"leposavic": 544.8, "north-mitrovica": 5.5, "zubin-potok": 328.9, "zvecan": 130.5}


@pytest.fixture(params=GEOJSON_LAYERS, ids=lambda layer: layer.name)
def layer(request):
    return request.param


def test_committed_municipalities_are_38_with_exactly_the_four_northern_ones(data_dir: Path) -> None:
    loaded = municipalities.LAYER.load(data_dir)
    assert loaded.problems == []
    frame = loaded.frame
    assert len(frame) == 38 and frame["id"].is_unique
    assert dict(zip(frame.loc[frame["north"], "id"], frame.loc[frame["north"], "area_km2"], strict=True)) == NORTH
    assert frame.crs.to_epsg() == 4326 and frame.geometry.is_valid.all()
    assert (frame[["name_en", "name_sq", "name_sr", "name_sr_cyrl"]] != "").all().all()


def test_committed_settlements_lie_in_the_north_with_names(data_dir: Path) -> None:
    loaded = settlements.LAYER.load(data_dir)
    assert loaded.problems == []
    frame = loaded.frame
    assert len(frame) > 200
    assert set(frame["municipality"]) <= set(NORTH)
    banjska = frame[frame["name"] == "Banjska"]
    assert list(banjska["municipality"]) == ["zvecan"] and "Banjskë" in banjska["names"].iloc[0]


def test_malformed_json_is_one_problem(layer, data_dir: Path) -> None:
    (data_dir / layer.file).write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 0
    assert len(loaded.problems) == 1 and loaded.problems[0].reason.startswith("not valid JSON")


def test_empty_file_is_one_problem(layer, data_dir: Path) -> None:
    (data_dir / layer.file).write_bytes(b"  \n")
    assert [p.reason for p in layer.load(data_dir).problems] == ["file is empty"]


def test_bad_feature_is_named_and_the_rest_load(layer, data_dir: Path) -> None:
    path = data_dir / layer.file
    document = json.loads(path.read_text(encoding="utf-8"))
    total = len(document["features"])
    first = document["features"][0]
    del first["properties"]["id"]
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == total - 1
    assert [(p.row, p.field) for p in loaded.problems] == [(1, "properties.id")]


def test_feature_outside_kosovo_and_swapped_feature_are_named(data_dir: Path) -> None:
    path = data_dir / settlements.LAYER.file
    document = json.loads(path.read_text(encoding="utf-8"))
    lon, lat = document["features"][0]["geometry"]["coordinates"]
    document["features"][0]["geometry"]["coordinates"] = [lat, lon]
    document["features"][1]["geometry"]["coordinates"] = [20.46, 44.81]
    path.write_text(json.dumps(document), encoding="utf-8")
    problems = settlements.LAYER.load(data_dir).problems
    assert [(p.row, p.reason) for p in problems] == [
        (1, "coordinates look swapped (latitude, longitude)"),
        (2, "lies outside Kosovo"),
    ]


def test_duplicate_feature_id_is_reported(data_dir: Path) -> None:
    path = data_dir / municipalities.LAYER.file
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"].append(document["features"][0])
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = municipalities.LAYER.load(data_dir)
    assert len(loaded.frame) == 38
    assert [(p.row, p.field) for p in loaded.problems] == [(39, "id")]


def test_latin1_geojson_loads_with_an_encoding_notice(data_dir: Path) -> None:
    path = data_dir / outline.LAYER.file
    text = path.read_text(encoding="utf-8").replace('"Kosova"', '"Kosovë"').replace("Косово", "Kosovo")
    path.write_bytes(text.encode("latin-1"))
    loaded = outline.LAYER.load(data_dir)
    assert len(loaded.frame) == 1 and loaded.frame["name_sq"].iloc[0] == "Kosovë"
    assert [p.field for p in loaded.problems] == ["encoding"]


def test_the_town_of_zvecan_carries_its_own_name_in_every_language(data_dir: Path) -> None:
    frame = settlements.LAYER.load(data_dir).frame.set_index("id")
    town = frame.loc["geonames:783770"]
    assert (town["name"], town["name_sq"], town["name_sr"], town["name_sr_cyrl"]) == (
        "Zvečan",
        "Zveçan",
        "Zvečan",
        "Звечан",
    )
    assert frame.loc["geonames:831962", "name_sr"] == "Mali Zvečan"  # the village nearby keeps its own
