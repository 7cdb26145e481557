"""The incident layer: compact columns for static/js/incident-layer.js, which draws them on one canvas.

Popups are built in the browser with textContent, so no text from the data is ever parsed as HTML; the
script goes into the page raw (src/drawing/templates.py), so none is compiled as a template either.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import folium
import numpy as np
import pandas as pd

from src.drawing.templates import RawMacro, own_script
from src.filters import incident_mask
from src.layers.incidents import PLACE_COLUMNS
from src.layers.spec import DrawContext, LayerSpec
from src.sources import citation
from src.text import name_in, safe_url
from src.view import View
from src.vocabulary import CATEGORIES, PRECISION_TEXT, PRECISIONS


def _encoded(values: pd.Series | list) -> dict[str, list]:
    """Dictionary-encodes a column: {"codes": [...], "values": [...]}; repeated texts are sent once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return {"codes": codes.tolist(), "values": [str(v) for v in uniques]}


def places_in(frame: pd.DataFrame, language: str) -> pd.Series:
    """Each incident's place in `language`, falling back to the English form where that one is blank."""
    column = PLACE_COLUMNS.get(language, "place")
    return frame[column].where(frame[column].astype(bool), frame["place"])


EPOCH = np.datetime64("1970-01-01", "D")


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970 (what the browser filters and plays by)."""
    return (dates.to_numpy(dtype="datetime64[D]") - EPOCH).astype(np.int32)


def payload(
    frame: pd.DataFrame,
    language: str,
    sources: Mapping[str, Mapping[str, Any]],
    municipalities: pd.DataFrame,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The incidents as typed columns for the browser, and the popup texts.

    What drawing and filtering need is 17 bytes an incident before base64 (lat, lon, day: Int32; span: Uint16;
    category, precision, municipality: Uint8). The texts are needed only on the first click: the live app
    publishes them as a file the layer fetches then, a standalone map keeps them inside a function."""
    day = day_numbers(frame["date"])
    span = np.clip(day_numbers(frame["last_date"]) - day, 0, np.iinfo(np.uint16).max).astype(np.uint16)
    municipality_ids = sorted(set(frame["municipality"]))
    records = {r["id"]: r for r in municipalities.to_dict("records")}
    draw = {
        "n": len(frame),
        "lat": _b64(np.round(frame["latitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)),
        "lon": _b64(np.round(frame["longitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)),
        "day": _b64(day),
        "span": _b64(span),
        "cat": _b64(pd.Categorical(frame["category"], categories=list(CATEGORIES)).codes.astype(np.uint8)),
        "prec": _b64(pd.Categorical(frame["location_precision"], categories=PRECISIONS).codes.astype(np.uint8)),
        "muni": _b64(pd.Categorical(frame["municipality"], categories=municipality_ids).codes.astype(np.uint8)),
        "categories": [
            {"id": c, "label": label, "color": color, "shape": shape} for c, (label, color, shape) in CATEGORIES.items()
        ],
        "precisions": list(PRECISIONS),
        "precisionText": [PRECISION_TEXT[p] for p in PRECISIONS],
        # A municipality's incidents with no known place are counted in a badge under its name (its label
        # stands at the representative point), so the count reads as the municipality's, not a place's.
        "municipalities": [
            {
                "id": m,
                "name": name_in(records[m], language) if m in records else m,
                "anchor": [records[m]["rep_lat"], records[m]["rep_lon"]] if m in records else [0.0, 0.0],
            }
            for m in municipality_ids
        ],
    }
    source_ids = sorted({s for ids in frame["sources"] for s in ids})
    source_sets = _encoded([";".join(ids) for ids in frame["sources"]])
    source_index = {s: i for i, s in enumerate(source_ids)}
    texts = {
        "id": frame["id"].tolist(),
        "title": frame["title"].tolist(),
        "date": _encoded(frame["date_label"]),
        "place": _encoded(places_in(frame, language)),
        "cas": _encoded(frame["casualties"]),
        "desc": _encoded(frame["description"]),
        "src": {
            "codes": source_sets["codes"],
            "values": [[source_index[s] for s in combo.split(";") if s] for combo in source_sets["values"]],
        },
        "sources": [[citation(sources, s), safe_url((sources.get(s) or {}).get("url"))] for s in source_ids],
    }
    return draw, texts


def filter_of(frame: pd.DataFrame, view: View) -> dict[str, Any]:
    """What the layer needs to draw exactly what `filter_incidents` selects from `frame` (in payload order):
    a bitset of the rows the view's non-date filters keep, and the date window as day numbers."""
    undated = replace(view, start=None, end=None)
    keep = incident_mask(frame, undated)
    return {
        "mask": base64.b64encode(np.packbits(keep, bitorder="little").tobytes()).decode("ascii"),
        "start": int(day_numbers(pd.Series([pd.Timestamp(view.start)]))[0]) if view.start else None,
        "end": int(day_numbers(pd.Series([pd.Timestamp(view.end)]))[0]) if view.end else None,
    }


class IncidentLayer(RawMacro):
    """The canvas incident layer with its data, listed in the layer control."""

    def __init__(self, draw: dict[str, Any], texts: dict[str, Any] | str, name: str, options: dict[str, Any],
                 show: bool = True) -> None:  # fmt: skip
        """`texts`: the popup texts, or the URL the layer fetches them from on the first click."""
        super().__init__(name=name, show=show)
        self._name = "IncidentLayer"
        source = self.json(texts) if isinstance(texts, str) else f"function () {{ return {self.json(texts)}; }}"
        # Serialised once: a cached map renders again on every rerun, and this is most of its bytes.
        self._script = f"L.incidentLayer({self.json(draw)}, {self.json({'name': name, **options})}, {source})"

    def script(self) -> str:
        return f"{own_script('incident-layer.js')}var {self.get_name()} = {self._script};\n{self.add_line()}"


def add_incidents(
    fmap: folium.Map, layer: LayerSpec, frame: pd.DataFrame, ctx: DrawContext, label: str | None = None
) -> None:
    draw, texts = payload(frame, ctx.language, ctx.sources, ctx.municipalities)
    options = {"key": ctx.key or label or layer.label, "highlight": list(ctx.highlight), "recordUrl": ctx.record_url}
    if ctx.filter is not None:
        options["filter"] = ctx.filter
    url = ctx.publish_texts(texts) if ctx.publish_texts is not None else None
    IncidentLayer(draw, url or texts, label or layer.label, options, show=ctx.visible).add_to(fmap)
