"""The legend, built from the layer registry with the markers' own drawing code, so it matches the map."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from src.drawing.markers import symbol_html
from src.drawing.templates import RawMacro
from src.layers.spec import LayerSpec
from src.text import esc
from src.vocabulary import CATEGORIES

INCIDENT_FORMS = (
    ("exact", "a solid mark: the exact site"),
    ("settlement", "a ring: at the settlement, not the site (at close zoom, a faint circle of about 1 km)"),
    ("stack", "a number: several incidents at one place, or too close to tell apart; click to list them"),
    ("municipality", "a dashed box with a count: incidents known only to their municipality, no place given"),
)


def _mark(kind: str, value: str) -> str:
    """A canvas the incident layer draws into with its own drawing code (static/js/incident-layer.js)."""
    return f'<canvas class="legend-mark" width="20" height="18" data-legend-mark="{kind}:{value}"></canvas>'


def _points_entries(layer: LayerSpec) -> str:
    symbol = layer.symbol
    if symbol is None:
        return ""
    rows = [f"<div class='legend-title'>{esc(layer.label)}</div>"]
    for value, words in (symbol.variants or {"": ""}).items():
        rows.append(f"<div class='legend-row'>{symbol_html(symbol, value or None)} {esc(words or layer.label)}</div>")
    return "".join(rows)


def _points_precision(layers: list[LayerSpec]) -> str:
    """One row per form for all point layers: hollow at the settlement, dashed for a whole municipality."""
    symbols = [layer.symbol for layer in layers if layer.drawer == "points" and layer.symbol]
    rows = []
    for precision, words in (("settlement", "hollow: at the settlement, not the site"),
                             ("municipality", "dashed: only the municipality is known")):  # fmt: skip
        marks = "".join(symbol_html(symbol, None, precision) for symbol in symbols)
        rows.append(f"<div class='legend-row legend-form'>{marks}<span>{esc(words)}</span></div>")
    return "".join(rows)


def _incident_entries(layer: LayerSpec, counts: pd.Series) -> str:
    rows = [f"<div class='legend-title'>{esc(layer.label)}</div>"]
    for key, (label, _, _) in CATEGORIES.items():
        count = int(counts.get(key, 0))
        rows.append(
            f"<div class='legend-row' data-category='{key}'>{_mark('category', key)}{esc(label)}"
            f" <span class='count'>{count}</span></div>"
        )
    rows.append("<div class='legend-subtitle'>How precisely each place is known</div>")
    for form, words in INCIDENT_FORMS:
        rows.append(f"<div class='legend-row legend-form'>{_mark('form', form)}<span>{esc(words)}</span></div>")
    return "".join(rows)


def legend_html(layers: Iterable[LayerSpec], incident_counts: pd.Series) -> str:
    layers = list(layers)
    parts = [_incident_entries(layer, incident_counts) for layer in layers if layer.drawer == "incidents"]
    parts += [_points_entries(layer) for layer in layers if layer.drawer == "points"]
    if any(layer.drawer == "points" for layer in layers):
        parts.append(_points_precision(layers))
    return f"<details open><summary>Legend</summary>{''.join(p for p in parts if p)}</details>"


FOLDED_BELOW_PX = 560


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
            // On a small map the legend starts folded, so it never covers what it explains; a click opens it.
            if (map.getSize().y < {FOLDED_BELOW_PX}) div.querySelector('details').open = false;
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          }};
          legend.addTo(map);
        }})({self.parent_name()});"""
