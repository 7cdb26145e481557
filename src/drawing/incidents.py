"""The incident layer: compact columns for static/js/incident-layer.js, which draws them on one canvas.

Popups are built in the browser with textContent, so no text from the data is ever parsed as HTML; the
script goes into the page raw (src/drawing/templates.py), so none is compiled as a template either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import numpy as np
import pandas as pd

from src.drawing.templates import RawMacro
from src.layers.incidents import PLACE_COLUMNS
from src.layers.spec import DrawContext, LayerSpec
from src.sources import citation
from src.text import safe_url
from src.vocabulary import CATEGORIES, PRECISIONS

JS_URL_NAME = "incident_layer"


def _encoded(values: pd.Series | list) -> dict[str, list]:
    """Dictionary-encodes a column: {"codes": [...], "values": [...]}; repeated texts are sent once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return {"codes": codes.tolist(), "values": [str(v) for v in uniques]}


def places_in(frame: pd.DataFrame, language: str) -> pd.Series:
    """Each incident's place in `language`, falling back to the English form where that one is blank."""
    column = PLACE_COLUMNS.get(language, "place")
    return frame[column].where(frame[column].astype(bool), frame["place"])


def payload(
    frame: pd.DataFrame, language: str, sources: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The incidents in compact columns for the browser: what drawing needs, and the popup texts.

    The texts are sent inside a function the layer calls on the first click, so the browser only pre-parses
    them while the map draws (most of the payload at 100,000 incidents)."""
    categories = list(CATEGORIES)
    source_ids = sorted({s for ids in frame["sources"] for s in ids})
    source_sets = _encoded([";".join(ids) for ids in frame["sources"]])
    source_index = {s: i for i, s in enumerate(source_ids)}
    draw = {
        "lat": np.round(frame["latitude"].to_numpy(dtype=float), 5).tolist(),
        "lon": np.round(frame["longitude"].to_numpy(dtype=float), 5).tolist(),
        "cat": pd.Categorical(frame["category"], categories=categories).codes.tolist(),
        "prec": pd.Categorical(frame["location_precision"], categories=PRECISIONS).codes.tolist(),
        "categories": [{"id": c, "label": CATEGORIES[c][0], "color": CATEGORIES[c][1]} for c in categories],
        "precisions": list(PRECISIONS),
    }
    texts = {
        "id": frame["id"].tolist(),
        "title": frame["title"].tolist(),
        "date": _encoded(frame["date_label"]),
        "place": _encoded(places_in(frame, language)),
        "cas": _encoded(frame["casualties"]),
        "desc": _encoded(frame["description"]),
        "src": {
            "codes": source_sets["codes"],
            "values": [[source_index[s] for s in combo.split(";")] for combo in source_sets["values"]]
            if len(frame)
            else [],
        },
        "sources": [[citation(sources, s), safe_url((sources.get(s) or {}).get("url"))] for s in source_ids],
    }
    return draw, texts


class IncidentLayer(RawMacro):
    """The canvas incident layer with its data, listed in the layer control."""

    default_js = ((JS_URL_NAME, "incident-layer.js"),)

    def __init__(
        self, draw: dict[str, Any], texts: dict[str, Any], name: str, show: bool = True, highlight: tuple[str, ...] = ()
    ) -> None:
        super().__init__(name=name, show=show)
        self._name = "IncidentLayer"
        self.draw, self.texts = draw, texts
        self.options = {"name": name, "highlight": list(highlight)}

    def script(self) -> str:
        return (
            f"var {self.get_name()} = L.incidentLayer({self.json(self.draw)}, {self.json(self.options)},"
            f" function () {{ return {self.json(self.texts)}; }});\n{self.add_line()}"
        )


def add_incidents(
    fmap: folium.Map, layer: LayerSpec, frame: pd.DataFrame, ctx: DrawContext, label: str | None = None
) -> None:
    draw, texts = payload(frame, ctx.language, ctx.sources)
    IncidentLayer(draw, texts, label or layer.label, show=ctx.visible, highlight=ctx.highlight).add_to(fmap)
