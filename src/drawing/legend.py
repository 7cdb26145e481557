"""The legend, built from the layer registry with the markers' own drawing code, so it matches the map."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from src.drawing.markers import symbol_html
from src.drawing.templates import RawMacro
from src.layers.spec import LayerSpec
from src.text import esc
from src.vocabulary import CATEGORIES, PRECISION_LABELS

INCIDENT_FORMS = (
    ("exact", "a dot: the exact site"),
    ("settlement", "a ring: at the settlement, not the site"),
    ("municipality", "a count in the municipality: place not known"),
)


def _points_entries(layer: LayerSpec) -> str:
    symbol = layer.symbol
    if symbol is None:
        return ""
    rows = [f"<div class='legend-title'>{esc(layer.label)}</div>"]
    for value, words in (symbol.variants or {"": ""}).items():
        rows.append(f"<div class='legend-row'>{symbol_html(symbol, value or None)} {esc(words or layer.label)}</div>")
    for precision in ("settlement", "municipality"):
        rows.append(
            f"<div class='legend-row'>{symbol_html(symbol, None, precision)} {esc(PRECISION_LABELS[precision])}</div>"
        )
    return "".join(rows)


def _incident_entries(layer: LayerSpec, counts: pd.Series) -> str:
    rows = [f"<div class='legend-title'>{esc(layer.label)}</div>"]
    for key, (label, color, shape) in CATEGORIES.items():
        count = int(counts.get(key, 0))
        rows.append(
            f"<div class='legend-row' data-category='{key}'><span class='swatch shape-{shape}'"
            f" style='--pt-color:{color}'></span>{esc(label)} <span class='count'>{count}</span></div>"
        )
    for precision, words in INCIDENT_FORMS:
        rows.append(f"<div class='legend-row'><span class='form form-{precision}'></span>{esc(words)}</div>")
    return "".join(rows)


def legend_html(layers: Iterable[LayerSpec], incident_counts: pd.Series) -> str:
    parts = []
    for layer in layers:
        if layer.drawer == "points":
            parts.append(_points_entries(layer))
        elif layer.drawer == "incidents":
            parts.append(_incident_entries(layer, incident_counts))
    return f"<details open><summary>Legend</summary>{''.join(p for p in parts if p)}</details>"


class Legend(RawMacro):
    """The legend as a Leaflet control (scrolls inside the map; never cut off)."""

    def __init__(self, layers: Iterable[LayerSpec], incident_counts: pd.Series) -> None:
        super().__init__(control=False)
        self._name = "Legend"
        self.html = legend_html(layers, incident_counts)

    def script(self) -> str:
        return f"""
        (function (map) {{
          var legend = L.control({{position: 'topright'}});
          legend.onAdd = function () {{
            var div = L.DomUtil.create('div', 'map-legend');
            div.innerHTML = {self.json(self.html)};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          }};
          legend.addTo(map);
        }})({self.parent_name()});"""
