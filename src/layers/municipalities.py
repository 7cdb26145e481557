"""Municipalities of Kosovo: the four northern ones highlighted and labelled, the rest muted."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
from pydantic import Field

from src.layers.base import DrawContext, LayerData, RequiredText, Row, Slug, load_geojson
from src.text import esc, name_in

NAME = "municipalities"
LABEL = "Municipalities"
FILE = "municipalities.geojson"
NORTH_STYLE = {"fillColor": "#2c5d8f", "color": "#1b3a5c", "weight": 2.2, "fillOpacity": 0.18}
OTHER_STYLE = {"fillColor": "#c9c9c9", "color": "#8a8a8a", "weight": 0.7, "fillOpacity": 0.35}


class MunicipalityRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: RequiredText
    name_sr: RequiredText
    name_sr_cyrl: RequiredText
    north: bool
    area_km2: float = Field(gt=0)
    rep_lat: float = Field(ge=-90, le=90)
    rep_lon: float = Field(ge=-180, le=180)
    source_id: str = ""


def load(data_dir: Path) -> LayerData:
    return load_geojson(NAME, data_dir, FILE, MunicipalityRow)


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    shown = frame.assign(
        label=[esc(name_in(r, ctx.language)) for r in frame.to_dict("records")],
        names=[
            esc(" / ".join(dict.fromkeys([r["name_sq"], r["name_sr"], r["name_sr_cyrl"]])))
            for r in frame.to_dict("records")
        ],
        area=frame["area_km2"].map(lambda a: f"{a:,.1f} km²"),
    )[["id", "label", "names", "area", "north", "geometry"]]
    group = folium.FeatureGroup(name=LABEL, show=ctx.visible)
    others, north = shown[~shown["north"]], shown[shown["north"]]
    folium.GeoJson(
        others,
        style_function=lambda _: OTHER_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["label", "names"], labels=False),
        name="Other municipalities",
    ).add_to(group)
    folium.GeoJson(
        north,
        style_function=lambda _: NORTH_STYLE,
        highlight_function=lambda _: {"weight": 3.5, "fillOpacity": 0.28},
        popup=folium.GeoJsonPopup(fields=["label", "names", "area"], labels=False),
        name="Northern municipalities",
    ).add_to(group)
    for record in frame[frame["north"]].to_dict("records"):
        # Labels sit on the representative point computed in the build: Leaflet's own polygon centre is
        # computed in screen pixels and drifts when the map's frame is resized.
        folium.Marker(
            location=(record["rep_lat"], record["rep_lon"]),
            icon=folium.DivIcon(
                html=f'<div class="north-label">{esc(name_in(record, ctx.language))}</div>',
                icon_size=(180, 20),
                icon_anchor=(90, 10),
                class_name="north-label-icon",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(fmap)
