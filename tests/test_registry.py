"""The layer registry is the single source of truth: a contract every layer meets, and a new layer that
appears everywhere (legend, layer control, URL, date filter, data health) with only its module and one line."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from src import layers
from src.dataset import load_dataset
from src.drawing.legend import legend_html
from src.filters import filter_layer, in_date_range
from src.layers import incidents as incident_layer
from src.layers.spec import LayerSpec
from src.mapview import build_map
from src.text import md_escape
from src.view import View, from_query, to_query
from tests.conftest import open_app

BARRICADE_MODULE = '''
"""Barricade sites: a throwaway dated, sourced point layer (test only)."""
import datetime as dt

from src.layers.spec import LayerSpec, Symbol
from src.validation import Latitude, LocationPrecision, Longitude, NonEmptyIdList, OptionalDate, RequiredText, Row, Slug


class BarricadeRow(Row):
    id: Slug
    name_en: RequiredText
    date: dt.date
    end_date: OptionalDate = None
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    sources: NonEmptyIdList


LAYER = LayerSpec(
    name="barricade_sites",
    label="Barricade sites (test)",
    file="barricade_sites.csv",
    model=BarricadeRow,
    drawer="points",
    dates=("date", "end_date"),
    source_columns=("sources",),
    attribution="Barricade test data",
    symbol=Symbol("triangle", "#aa2200"),
    facts=lambda record: [("Since", record["date"])],
)
'''
BARRICADES = (
    "id,name_en,date,end_date,municipality,latitude,longitude,location_precision,sources\n"
    "bar-rudare,Rudare roadblock,2022-12-10,2022-12-29,zvecan,42.9174,20.84324,settlement,"
    "icg-20240402-northern-kosovo\n"
    "bar-jarinje,Jarinje roadblock,2021-09-20,2021-10-02,leposavic,43.21861,20.69167,exact,no-such-source\n"
)


@pytest.fixture
def barricade_layer(tmp_path: Path, data_dir: Path) -> Iterator[LayerSpec]:
    """The throwaway layer, written as a module in a temporary folder and registered with one line."""
    module_path = tmp_path / "barricade_sites.py"
    module_path.write_text(BARRICADE_MODULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("barricade_sites", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (data_dir / "barricade_sites.csv").write_text(BARRICADES, encoding="utf-8")
    layers.LAYERS.append(module.LAYER)  # the one registry line
    yield module.LAYER
    layers.LAYERS.remove(module.LAYER)


def test_a_new_layer_appears_everywhere_with_only_its_module_and_a_registry_line(barricade_layer, data_dir) -> None:
    data = load_dataset(data_dir)
    assert len(data.frame("barricade_sites")) == 2
    # data health: its unknown source is a named problem
    assert any(p.file == "barricade_sites.csv" and "no-such-source" in p.reason for p in data.problems)
    # the URL: on by default, and a link can name it
    assert "barricade_sites" in View().layers
    assert from_query({"layers": "barricade_sites"}).layers == ("barricade_sites",)
    assert to_query(View(layers=("incidents",)))["layers"] == "incidents"
    # the legend, the layer control and the attribution
    html = build_map(data, View()).get_root().render()
    assert "Barricade sites (test)" in legend_html(layers.LAYERS, data.incidents["category"].value_counts())
    assert '"Barricade sites (test)"' in html  # the layer control's entry
    assert "Barricade test data" in html
    # the date filter: December 2022 shows Rudare, not Jarinje
    december = View(start=dt.date(2022, 12, 1), end=dt.date(2022, 12, 31))
    shown = filter_layer(barricade_layer, data.frame("barricade_sites"), december)
    assert shown["id"].tolist() == ["bar-rudare"]
    december_html = build_map(data, december).get_root().render()
    assert "bar-rudare" in december_html and "bar-jarinje" not in december_html


def test_a_new_layer_shows_in_the_pages_data_health_notice(barricade_layer, data_dir, monkeypatch) -> None:
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    at = open_app()
    assert not at.exception
    assert any(md_escape("barricade_sites.csv") in w.value for w in at.warning)
    assert "Barricade sites (test)" in at.multiselect(key="w_layers").options


@pytest.mark.parametrize("layer", layers.LAYERS, ids=lambda layer: layer.name)
def test_every_registered_layer_meets_the_contract(layer: LayerSpec, data_dir: Path) -> None:
    loaded = layer.load(data_dir)
    assert loaded.problems == [] and len(loaded.frame) > 0, layer.name
    assert layer.label and layer.file and layer.drawer
    (data_dir / layer.file).write_text("not, a, layer\n{", encoding="utf-8")
    broken = layer.load(data_dir)
    assert broken.problems and all(p.file == layer.file for p in broken.problems)
    if layer.drawer in ("points", "incidents"):
        assert layer.label in legend_html(
            [layer],
            loaded.frame.get("category", []).value_counts()
            if "category" in loaded.frame
            else __import__("pandas").Series(dtype=int),
        )


@pytest.mark.parametrize(
    "layer", [layer for layer in layers.LAYERS if layer.source_columns], ids=lambda layer: layer.name
)
def test_every_sourced_layer_reports_an_unknown_source(layer: LayerSpec, data_dir: Path) -> None:
    import csv

    path = data_dir / layer.file
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["sources"] = rows[0]["sources"] + ";not-a-real-source"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    problems = load_dataset(data_dir).problems
    assert any(p.file == layer.file and "not-a-real-source" in p.reason for p in problems)


@pytest.mark.parametrize("layer", layers.dated_layers(), ids=lambda layer: layer.name)
def test_every_dated_layer_follows_the_date_range(layer: LayerSpec, data_dir: Path) -> None:
    frame = load_dataset(data_dir).frame(layer.name)  # as prepared for the pages
    middle = frame[layer.dates[0]].sort_values().iloc[len(frame) // 2].date()
    later = in_date_range(frame, layer.dates, View(start=middle))
    assert 0 < later.sum() < len(frame)
    if layer is not incident_layer.LAYER:
        assert len(filter_layer(layer, frame, View(start=middle))) == later.sum()


def test_the_view_imports_no_folium() -> None:
    code = "import sys, src.view, src.filters, src.vocabulary; print(json.dumps('folium' in sys.modules))"
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import json; " + code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert json.loads(out.stdout) is False
