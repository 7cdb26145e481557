"""Settlements: a small dot and the place's own name in the chosen language, shown only at closer zoom (the dot
from zoom 11, by CSS: static/css/map.css; the name from LABEL_ZOOM, which binds it only then)."""

from __future__ import annotations

import json

import folium
import geopandas as gpd

from src.layers.spec import DrawContext, LayerSpec
from src.text import esc, name_in

LABEL_ZOOM = 12  # settlements' names show from this zoom; further out they would cover the map


def permanent_label(class_name: str, direction: str = "center", min_zoom: int = LABEL_ZOOM) -> folium.JsCode:
    """Binds each feature's own always-visible label (properties.label, already escaped) to that feature,
    while the map is at `min_zoom` or closer.

    A tooltip bound to a whole GeoJson layer opens once for the group; bound per feature, every one shows.
    Leaflet measures every open tooltip (a forced layout each) when it places it, on the first draw and on
    every zoom: 269 labels bound for good cost 90 ms of the map's first draw, though hidden at its zoom.
    """
    options = json.dumps({"permanent": True, "direction": direction, "className": class_name, "interactive": False})
    return folium.JsCode(
        f"""function (feature, layer) {{
          function follow() {{
            var near = layer._map.getZoom() >= {int(min_zoom)};
            if (near && !layer.getTooltip()) layer.bindTooltip(feature.properties.label, {options});
            else if (!near && layer.getTooltip()) layer.unbindTooltip();
          }}
          layer.on('add', function () {{ follow(); layer._map.on('zoomend', follow); }});
          layer.on('remove', function () {{ layer._map.off('zoomend', follow); }});
        }}"""
    )


def add_places(fmap: folium.Map, layer: LayerSpec, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    if frame.empty:
        folium.FeatureGroup(name=layer.label, show=ctx.visible).add_to(fmap)
        return
    records = frame.to_dict("records")
    shown = frame.assign(
        label=[esc(name_in({"name_en": r["name"], **r}, ctx.language)) for r in records],
        variants=[esc(r["names"].replace("|", " · ")) for r in records],
    )[["id", "label", "variants", "geometry"]]
    folium.GeoJson(
        shown,
        name=layer.label,
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
