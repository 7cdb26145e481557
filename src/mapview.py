"""Builds the Folium map for a view: every registered layer, legend, attribution, all assets local."""

from __future__ import annotations

import folium
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from src.dataset import Dataset
from src.layers import LAYERS
from src.layers import incidents as incident_layer
from src.layers.base import DrawContext
from src.layers.incidents import CATEGORIES
from src.offline import MapStyle, localise
from src.text import esc
from src.view import ZOOM_RANGE, View

UPLOADED_LABEL = "Your uploaded incidents (this session)"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


class ZoomClasses(MacroElement):
    """Marks the map container with zoom-ge-N classes so CSS can show labels only when zoomed in."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
          function mark() {
            var z = map.getZoom(), box = map.getContainer();
            for (var i = 0; i <= 20; i++) box.classList.toggle('zoom-ge-' + i, z >= i);
          }
          map.on('zoomend', mark); mark();
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )


class ViewInUrl(MacroElement):
    """Writes the map's centre and zoom into the page URL as the user pans and zooms, without a rerun.

    The st_folium iframe is same-origin, so it can update the parent's address; anywhere else (a standalone
    export opened from disk) the update is skipped.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
          map.on('moveend', function () {
            try {
              var top = window.parent, url = new URL(top.location.href), c = map.getCenter();
              url.searchParams.set('center', c.lat.toFixed(5) + ',' + c.lng.toFixed(5));
              url.searchParams.set('zoom', String(map.getZoom()));
              top.history.replaceState(top.history.state, '', url.toString());
            } catch (err) { /* not inside the app page */ }
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )


class Attribution(MacroElement):
    """Adds the data attributions to Leaflet's attribution control (escaped: they come from a data file)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {% for text in this.texts %}{{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
        {% endfor %}{% endmacro %}"""
    )

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = [esc(text) for text in texts]


class BriefingCaption(MacroElement):
    """Title, subtitle and date stamp on the map itself, and a north arrow: what a projected briefing needs."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
          var caption = L.control({position: 'topleft'});
          caption.onAdd = function () {
            var div = L.DomUtil.create('div', 'map-caption');
            var title = L.DomUtil.create('div', 'map-caption-title', div);
            title.textContent = {{ this.title|tojson }};
            var subtitle = L.DomUtil.create('div', 'map-caption-subtitle', div);
            subtitle.textContent = {{ this.subtitle|tojson }};
            var stamp = L.DomUtil.create('div', 'map-caption-stamp', div);
            stamp.textContent = {{ this.stamp|tojson }};
            return div;
          };
          caption.addTo(map);
          var arrow = L.control({position: 'bottomleft'});
          arrow.onAdd = function () {
            var div = L.DomUtil.create('div', 'north-arrow');
            div.innerHTML = '<svg viewBox="0 0 40 56" width="34" height="48" aria-label="North">' +
              '<polygon points="20,2 34,40 20,32 6,40" fill="#111"/><text x="20" y="54" text-anchor="middle" ' +
              'font-size="14" font-weight="700" font-family="sans-serif">N</text></svg>';
            return div;
          };
          arrow.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, title: str, subtitle: str, stamp: str) -> None:
        super().__init__()
        self.title, self.subtitle, self.stamp = title, subtitle, stamp


class Legend(MacroElement):
    """Incident categories and what the marker shapes mean, as a Leaflet control."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
          var legend = L.control({position: 'topright'});
          legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'map-legend');
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
          };
          legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, counts: pd.Series) -> None:
        super().__init__()
        rows = "".join(
            f'<div><span class="swatch" style="background:{color}"></span>{esc(label)}'
            f' <span class="count">{int(counts.get(key, 0))}</span></div>'
            for key, (label, color) in CATEGORIES.items()
        )
        shapes = (
            '<div class="legend-shapes"><div><span class="dot exact"></span>exact site</div>'
            '<div><span class="dot settlement"></span>at the settlement</div>'
            '<div><span class="dot municipality"></span>municipality only</div>'
            '<div><span class="pt pt-crossing"></span>crossing</div>'
            '<div><span class="pt pt-base"></span>police base</div></div>'
        )
        self.html = f"<details open><summary>Legend</summary><b>Incidents</b>{rows}{shapes}</details>"


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
) -> folium.Map:
    """The map for `view`, showing `incidents` (already filtered) and every other layer from `dataset`.
    With `bounds`, the map opens fitted to them instead of the view's centre and zoom; `uploaded` incidents
    (a user's own, this session only) are drawn as a layer of their own. A `caption` (title, subtitle, date
    stamp) and a north arrow are drawn on the map for briefings; `highlight` rings the named incidents."""
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
        frame = shown_incidents if layer.NAME == "incidents" else dataset.frame(layer.NAME)
        ctx = DrawContext(
            language=view.language, visible=layer.NAME in view.layers, sources=dataset.sources, highlight=highlight
        )
        layer.add_to_map(fmap, frame, ctx)
    if uploaded is not None:
        sources = {**dataset.sources, **(uploaded_sources or {})}
        ctx = DrawContext(language=view.language, visible=True, sources=sources)
        incident_layer.add_to_map(fmap, uploaded, ctx, label=UPLOADED_LABEL)
    Legend(shown_incidents["category"].value_counts()).add_to(fmap)
    Attribution(dataset.short_attributions).add_to(fmap)
    if caption is not None:
        BriefingCaption(*caption).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds(bounds)
    return localise(fmap)
