"""Point layers (crossings, bases, any new point layer): shaped CSS markers and sourced popups.

`symbol_html` draws one marker; the legend calls the same function, so what it shows is what the map draws.
How precisely a place is known shows in the fill: solid for an exact site, a hollow outline for a
settlement, a dashed outline for a whole municipality.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd

from src.drawing.templates import RawMacro
from src.layers.spec import DrawContext, LayerSpec, Symbol
from src.sources import citation
from src.text import esc, name_in, safe_url
from src.vocabulary import PRECISION_TEXT


def symbol_html(symbol: Symbol, variant: str | None = None, precision: str = "exact") -> str:
    """The marker's own element: shape, colour, variant (e.g. a crossing's status) and precision."""
    classes = f"pt pt-{symbol.shape} prec-{esc(precision)}"
    if variant:
        classes += f" variant-{esc(variant)}"
    return f'<span class="{classes}" style="--pt-color:{esc(symbol.color)}"></span>'


def sources_html(ids: Iterable[str], sources: Mapping[str, Mapping[str, Any]]) -> str:
    """An ordered list of the record's sources, each as publisher, title and date, linked when it has a URL."""
    items = []
    for source_id in ids:
        text = esc(citation(sources, source_id))
        url = safe_url((sources.get(source_id) or {}).get("url"))
        items.append(
            f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{text}</a></li>'
            if url
            else f"<li>{text}</li>"
        )
    return f"<ol>{''.join(items)}</ol>" if items else "<i>no source</i>"


def other_names(record: Mapping[str, Any], language: str) -> str:
    shown = name_in(record, language)
    variants = [record.get(k) for k in ("name_en", "name_sq", "name_sr", "name_sr_cyrl")]
    return " / ".join(dict.fromkeys(v for v in variants if v and v != shown))


def fact_html(value: Any) -> str:
    """A fact's value, escaped: a list (a crossing's status history) becomes a bulleted list."""
    if isinstance(value, list | tuple):
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in value) + "</ul>"
    return esc(value)


def record_popup(record: Mapping[str, Any], ctx: DrawContext, facts: list[tuple[str, Any]]) -> str:
    """Popup HTML for a named, sourced record; every value from data is escaped here."""
    rows = "".join(
        f"<div><b>{esc(label)}:</b> {fact_html(value)}</div>" for label, value in facts if value not in (None, "", [])
    )
    return (
        f'<div class="map-popup" data-record="{esc(record.get("id"))}"><h4>{esc(name_in(record, ctx.language))}</h4>'
        f'<div class="names">{esc(other_names(record, ctx.language))}</div>{rows}'
        f"<div><b>Location:</b> {esc(PRECISION_TEXT.get(record.get('location_precision'), ''))}</div>"
        f"<div><b>Sources:</b>{sources_html(record.get('sources') or [], ctx.sources)}</div></div>"
    )


def add_points(fmap: folium.Map, layer: LayerSpec, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    """One marker per record (these layers hold dozens of rows, not thousands). Popups are plain HTML given
    to Leaflet as data, never compiled as a template."""
    symbol = layer.symbol or Symbol("circle", "#444444")
    records = []
    for record in frame.drop(columns="geometry").to_dict("records"):
        variant = str(record.get(symbol.variant_column) or "") if symbol.variant_column else None
        facts = layer.facts(record) if layer.facts else []
        records.append(
            {
                "lat": record["latitude"],
                "lon": record["longitude"],
                "id": record["id"],
                "icon": symbol_html(symbol, variant, record.get("location_precision") or "exact"),
                "name": name_in(record, ctx.language),
                "popup": record_popup(record, ctx, facts),
            }
        )
    PointLayer(layer.label, records, show=ctx.visible).add_to(fmap)


class PointLayer(RawMacro):
    """A feature group of DivIcon markers built in the browser from JSON (no data passes through Jinja).
    Each marker carries its record id, so the incident layer can list what shares its point."""

    def __init__(self, name: str, records: list[dict[str, Any]], show: bool = True) -> None:
        super().__init__(name=name, show=show)
        self.records = records

    def script(self) -> str:
        return f"""
        var {self.get_name()} = L.featureGroup();
        {self.json(self.records)}.forEach(function (r) {{
          var icon = L.divIcon({{html: r.icon, className: 'pt-icon', iconSize: [18, 18], iconAnchor: [9, 9]}});
          var marker = L.marker([r.lat, r.lon], {{icon: icon, title: r.name, recordId: r.id}});
          marker.bindPopup(r.popup, {{maxWidth: 340}});
          marker.addTo({self.get_name()});
        }});
        {self.add_line()}"""
