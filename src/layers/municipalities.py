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
METRIC_CRS = "EPSG:32634"
NEIGHBOUR_TOLERANCE_M = 100
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


def page_url(municipality_id: str) -> str:
    """The app path of a northern municipality's page (pages/<id with underscores>.py)."""
    return "/" + municipality_id.replace("-", "_")


def _popup(record: dict, language: str) -> str:
    """Name, other names, area and (for the north) a link to the municipality's page; data escaped."""
    names = " / ".join(dict.fromkeys([record["name_sq"], record["name_sr"], record["name_sr_cyrl"]]))
    html = (
        f'<div class="map-popup"><h4>{esc(name_in(record, language))}</h4><div class="names">{esc(names)}</div>'
        f"<div>{record['area_km2']:,.1f} km²</div>"
    )
    if record["north"]:
        url = f"{page_url(record['id'])}?lang={language}"
        link = f"Open the {esc(record['name_en'])} page"
        html += f'<div><a class="page-link" href="{esc(url)}" target="_blank" rel="noopener">{link}</a></div>'
    return html + "</div>"


def load(data_dir: Path) -> LayerData:
    return load_geojson(NAME, data_dir, FILE, MunicipalityRow)


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    records = frame.to_dict("records")
    shown = frame.assign(
        label=[esc(name_in(r, ctx.language)) for r in records],
        names=[esc(" / ".join(dict.fromkeys([r["name_sq"], r["name_sr"], r["name_sr_cyrl"]]))) for r in records],
        popup=[_popup(r, ctx.language) for r in records],
    )[["id", "label", "names", "popup", "north", "geometry"]]
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
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        name="Northern municipalities",
    ).add_to(group)
    for record in frame[frame["north"]].to_dict("records"):
        # Labels sit just above the representative point computed in the build (where records placed only to
        # the municipality are drawn): Leaflet's own polygon centre is computed in screen pixels and drifts
        # when the map's frame is resized.
        folium.Marker(
            location=(record["rep_lat"], record["rep_lon"]),
            icon=folium.DivIcon(
                html=f'<div class="north-label">{esc(name_in(record, ctx.language))}</div>',
                icon_size=(180, 20),
                icon_anchor=(90, 30),
                class_name="north-label-icon",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(fmap)


def neighbours(frame: gpd.GeoDataFrame, municipality_id: str) -> list[str]:
    """Ids of the municipalities sharing a boundary with this one (within 100 m: the outlines are simplified)."""
    metric = frame.set_index("id").to_crs(METRIC_CRS)
    shape = metric.geometry[municipality_id].buffer(NEIGHBOUR_TOLERANCE_M)
    return sorted(i for i, geometry in metric.geometry.items() if i != municipality_id and geometry.intersects(shape))
