"""Areas: the municipalities (the four northern ones highlighted, labelled and linked) and Kosovo's outline.

Every text from data is escaped (`esc`) before folium sees it, which also keeps it inert to Jinja.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from src.layers.municipalities import page_url
from src.layers.spec import DrawContext, LayerSpec
from src.text import esc, name_in

NORTH_STYLE = {"fillColor": "#2c5d8f", "color": "#1b3a5c", "weight": 2.2, "fillOpacity": 0.18}
OTHER_STYLE = {"fillColor": "#c9c9c9", "color": "#8a8a8a", "weight": 0.7, "fillOpacity": 0.35}
OUTLINE_STYLE = {"color": "#222222", "weight": 2.5, "fill": False}


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


def add_municipalities(fmap: folium.Map, layer: LayerSpec, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    group = folium.FeatureGroup(name=layer.label, show=ctx.visible)
    if frame.empty:
        group.add_to(fmap)
        return
    records = frame.to_dict("records")
    shown = frame.assign(
        label=[esc(name_in(r, ctx.language)) for r in records],
        names=[esc(" / ".join(dict.fromkeys([r["name_sq"], r["name_sr"], r["name_sr_cyrl"]]))) for r in records],
        popup=[_popup(r, ctx.language) for r in records],
    )[["id", "label", "names", "popup", "north", "geometry"]]
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
        # Labels sit just above the representative point computed in the build: Leaflet's own polygon centre
        # is computed in screen pixels and drifts when the map's frame is resized.
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


def add_outline(fmap: folium.Map, layer: LayerSpec, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    if frame.empty:
        folium.FeatureGroup(name=layer.label, show=ctx.visible).add_to(fmap)
        return
    folium.GeoJson(
        frame[["id", "geometry"]],
        style_function=lambda _: OUTLINE_STYLE,
        name=layer.label,
        show=ctx.visible,
        interactive=False,
    ).add_to(fmap)
