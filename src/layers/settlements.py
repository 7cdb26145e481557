"""Populated places of the four northern municipalities (GeoNames with GNS names), labelled at closer zoom."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd

from src.layers.base import DrawContext, LayerData, RequiredText, Row, Slug, Text, load_geojson, permanent_label
from src.text import esc, name_in

NAME = "settlements"
LABEL = "Settlements"
FILE = "settlements.geojson"


class SettlementRow(Row):
    id: Slug
    name: RequiredText
    name_sq: Text = ""
    name_sr: Text = ""
    name_sr_cyrl: Text = ""
    names: Text = ""
    feature_code: Text = ""
    population: int | None = None
    municipality: Slug
    source: Text = ""


def load(data_dir: Path) -> LayerData:
    return load_geojson(NAME, data_dir, FILE, SettlementRow)


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    records = frame.to_dict("records")
    shown = frame.assign(
        label=[esc(name_in({"name_en": r["name"], **r}, ctx.language)) for r in records],
        variants=[esc(r["names"].replace("|", " · ")) for r in records],
    )[["id", "label", "variants", "geometry"]]
    folium.GeoJson(
        shown,
        name=LABEL,
        show=ctx.visible,
        marker=folium.CircleMarker(
            radius=2.5,
            weight=1,
            color="#333333",
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            class_name="settlement-dot",
        ),
        on_each_feature=permanent_label("settlement-label", direction="right"),
        popup=folium.GeoJsonPopup(fields=["label", "variants"], labels=False),
    ).add_to(fmap)
