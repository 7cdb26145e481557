"""Builds the Folium map for a view: every registered layer, legend, attribution, all assets local."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
import pandas as pd
import shapely

from src.dataset import Dataset
from src.drawing import draw_layer
from src.drawing.controls import Attribution, BriefingCaption, ViewInUrl, ZoomClasses
from src.drawing.incidents import add_incidents
from src.drawing.legend import Legend
from src.filters import filter_layer
from src.layers import LAYERS
from src.layers import incidents as incident_layer
from src.layers.spec import DrawContext
from src.offline import MapStyle, localise
from src.view import ZOOM_RANGE, View

UPLOADED_LABEL = "Your uploaded incidents (this session)"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def bounds_of(geometry: shapely.Geometry) -> list[list[float]]:
    """[[south, west], [north, east]] of a geometry, as Leaflet's fitBounds wants it."""
    west, south, east, north = geometry.bounds
    return [[south, west], [north, east]]


def build_map(
    dataset: Dataset,
    view: View,
    incidents: pd.DataFrame | None = None,
    height: str = "100%",
    bounds: list[list[float]] | None = None,
    uploaded: pd.DataFrame | None = None,
    uploaded_sources: dict | None = None,
    caption: tuple[str, str, str] | None = None,
    highlight: tuple[str, ...] = (),
    incident_filter: dict | None = None,
    key: str = "map",
    incident_overlay: folium.Layer | None = None,
    incident_counts: pd.Series | None = None,
    publish_texts: Callable[[dict[str, Any]], str | None] | None = None,
) -> folium.Map:
    """The map for `view`, showing `incidents` (already filtered) and every other registered layer from
    `dataset` (dated layers follow the view's dates). With `bounds`, the map opens fitted to them instead of
    the view's centre and zoom; `uploaded` incidents (a user's own, this session only) are drawn as a layer
    of their own. A `caption` (title, subtitle, date stamp) and a north arrow are drawn for briefings;
    `highlight` rings the named incidents. `incident_filter` (src/drawing/incidents.filter_of) is what the
    incident layer draws first; a page changes it later without rebuilding the map (src/ui/mapbridge.py),
    naming the layer by `key`. An `incident_overlay` is drawn instead of the incident layer (a store too large
    to send, src/ui/store_map.py), with `incident_counts` per category for the legend. `publish_texts` puts
    the dataset's popup texts where the browser fetches them (the live app; see DrawContext)."""
    fmap = folium.Map(
        location=list(view.center),
        zoom_start=view.zoom,
        tiles=None,
        min_zoom=ZOOM_RANGE[0],
        max_zoom=ZOOM_RANGE[1],
        control_scale=True,
        height=height,
    )
    MapStyle().add_to(fmap)
    ZoomClasses().add_to(fmap)
    ViewInUrl().add_to(fmap)
    folium.TileLayer(
        OSM_TILES,
        attr=OSM_ATTRIBUTION,
        name="OpenStreetMap tiles (online)",
        overlay=True,
        show=view.tiles,
        max_zoom=ZOOM_RANGE[1],
    ).add_to(fmap)
    shown_incidents = dataset.incidents if incidents is None else incidents
    for layer in LAYERS:
        if layer is incident_layer.LAYER and incident_overlay is not None:
            incident_overlay.add_to(fmap)
            continue
        if layer is incident_layer.LAYER:
            frame = shown_incidents
        else:
            frame = filter_layer(layer, dataset.frame(layer.name), view)
        ctx = DrawContext(
            language=view.language,
            visible=layer.name in view.layers,
            sources=dataset.sources,
            highlight=highlight,
            municipalities=dataset.frame("municipalities"),
            key=f"{key}:{layer.name}",
            filter=incident_filter,
            publish_texts=publish_texts,
        )
        draw_layer(fmap, layer, frame, ctx)
    if uploaded is not None:
        sources = {**dataset.sources, **(uploaded_sources or {})}
        ctx = DrawContext(
            language=view.language,
            visible=True,
            sources=sources,
            municipalities=dataset.frame("municipalities"),
            key=f"{key}:uploaded",
        )
        add_incidents(fmap, incident_layer.LAYER, uploaded, ctx, label=UPLOADED_LABEL)
    counts = shown_incidents["category"].value_counts() if incident_counts is None else incident_counts
    Legend(LAYERS, counts).add_to(fmap)
    Attribution(dataset.short_attributions).add_to(fmap)
    if caption is not None:
        BriefingCaption(*caption).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds(bounds)
    return localise(fmap)
