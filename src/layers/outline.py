"""The outline of Kosovo: a plain line that frames the map when no tiles are shown."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd

from src.layers.base import KOSOVO_FILE, DrawContext, LayerData, RequiredText, Row, Slug, load_geojson

NAME = "outline"
LABEL = "Kosovo outline"
FILE = KOSOVO_FILE
STYLE = {"color": "#222222", "weight": 2.5, "fill": False}


class OutlineRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: str = ""
    name_sr: str = ""
    name_sr_cyrl: str = ""


def load(data_dir: Path) -> LayerData:
    return load_geojson(NAME, data_dir, FILE, OutlineRow)


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    folium.GeoJson(
        frame[["id", "geometry"]], style_function=lambda _: STYLE, name=LABEL, show=ctx.visible, interactive=False
    ).add_to(fmap)
