"""Settlements: a small dot and the place's own name in the chosen language, shown only at closer zoom."""

from __future__ import annotations

import json

import folium
import geopandas as gpd

from src.layers.spec import DrawContext, LayerSpec
from src.text import esc, name_in


def permanent_label(class_name: str, direction: str = "center") -> folium.JsCode:
    """Binds each feature's own always-visible label (properties.label, already escaped) to that feature.

    A tooltip bound to a whole GeoJson layer opens once for the group; bound per feature, every one shows.
    """
    options = json.dumps({"permanent": True, "direction": direction, "className": class_name, "interactive": False})
    return folium.JsCode(f"function (feature, layer) {{ layer.bindTooltip(feature.properties.label, {options}); }}")


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
