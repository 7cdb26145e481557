"""Dated incidents: schema, loading, category palette and a canvas layer that stays fast with 100,000 points.

The map gets the filtered incidents as compact columns (coordinates, category and precision codes, short
texts) drawn by static/js/incident-layer.js on one canvas; popups are built in the browser with textContent,
so no text from the data is ever parsed as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from jinja2 import Template
from pydantic import Field, model_validator

from src.layers.base import (
    DatePrecision,
    DrawContext,
    IdList,
    Latitude,
    LayerData,
    LocationPrecision,
    Longitude,
    NonEmptyIdList,
    OptionalCount,
    OptionalDate,
    RequiredText,
    Row,
    Slug,
    Text,
    load_csv_points,
)
from src.layers.markers import citation, safe_url

NAME = "incidents"
LABEL = "Incidents"
FILE = "incidents.csv"
COLUMNS = (
    "id",
    "date",
    "end_date",
    "date_precision",
    "category",
    "title",
    "description",
    "place",
    "place_sq",
    "place_sr",
    "municipality",
    "latitude",
    "longitude",
    "location_precision",
    "fatalities",
    "injuries",
    "actors",
    "sources",
    "related_ids",
)

# Category ids, labels and colours. Colours are Paul Tol's colour-blind-safe "muted" scheme plus grey and black.
CATEGORIES: dict[str, tuple[str, str]] = {
    "armed_clash": ("Armed clash", "#882255"),
    "attack": ("Attack", "#CC6677"),
    "explosion": ("Explosion", "#AA4499"),
    "riot": ("Riot", "#DDCC77"),
    "protest": ("Protest", "#88CCEE"),
    "barricade": ("Barricade", "#999933"),
    "police_operation": ("Police operation", "#332288"),
    "arrest": ("Arrest", "#44AA99"),
    "administrative_measure": ("Administrative measure", "#117733"),
    "political": ("Political", "#777777"),
    "crossing_closure": ("Crossing closure", "#111111"),
}
Category = Literal[
    "armed_clash",
    "attack",
    "explosion",
    "riot",
    "protest",
    "barricade",
    "police_operation",
    "arrest",
    "administrative_measure",
    "political",
    "crossing_closure",
]
PRECISIONS = ("exact", "settlement", "municipality")
DATE_FORMATS = {"day": "%-d %b %Y", "month": "%B %Y", "year": "%Y"}
PLACE_COLUMNS = {"en": "place", "sq": "place_sq", "sr": "place_sr", "sr_cyrl": "place_sr_cyrl"}
JS_URL_NAME = "incident_layer"


class IncidentRow(Row):
    id: Slug
    date: dt.date
    end_date: OptionalDate = None
    date_precision: DatePrecision
    category: Category
    title: RequiredText = Field(max_length=200)
    description: Text = ""
    place: RequiredText
    place_sq: Text = ""
    place_sr: Text = ""
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    fatalities: OptionalCount = None
    injuries: OptionalCount = None
    actors: Text = ""
    sources: NonEmptyIdList
    related_ids: IdList = Field(default_factory=list)

    @model_validator(mode="after")
    def _end_after_start(self) -> IncidentRow:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        return self


def empty_frame() -> gpd.GeoDataFrame:
    """An incident layer with no rows but every column (what a failed load or upload shows)."""
    return gpd.GeoDataFrame({c: [] for c in IncidentRow.model_fields}, geometry=[], crs="EPSG:4326")


def load(data_dir: Path) -> LayerData:
    loaded = load_csv_points(NAME, data_dir, FILE, IncidentRow)
    loaded.frame = prepare(loaded.frame)
    return loaded


def prepare(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Adds the columns every view needs once, so filtering and drawing stay cheap on each rerun."""
    import cyrtranslit  # local: only needed when preparing

    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    out["date_label"] = (
        [d.strftime(DATE_FORMATS[p]) for d, p in zip(out["date"], out["date_precision"], strict=True)]
        if len(out)
        else pd.Series(dtype=str)
    )
    out["place_sr_cyrl"] = [cyrtranslit.to_cyrillic(p, "sr") if p else "" for p in out["place_sr"]]
    if not isinstance(out, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["longitude"], out["latitude"]), crs="EPSG:4326")
    return out


def _encoded(values: pd.Series | list) -> dict[str, list]:
    """Dictionary-encodes a column: {"codes": [...], "values": [...]}; repeated texts are sent once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return {"codes": codes.tolist(), "values": [str(v) for v in uniques]}


def casualties_labels(frame: pd.DataFrame) -> pd.Series:
    """'2 killed, 30 injured' per incident; a blank count is unknown and says so (never 0)."""

    def part(column: str, word: str) -> pd.Series:
        counts = frame[column].astype("Int64")
        return (
            counts.astype(str)
            .str.cat(pd.Series(f" {word}", index=frame.index))
            .where(counts.notna(), f"{word}: unknown")
        )

    return part("fatalities", "killed").str.cat(part("injuries", "injured"), sep=", ")


def payload(
    frame: pd.DataFrame, language: str, sources: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The incidents in compact columns for the browser: what drawing needs, and the popup texts.

    The texts are sent inside a function the layer calls on the first click, so the browser only pre-parses
    them while the map draws (most of the payload at 100,000 incidents)."""
    categories = list(CATEGORIES)
    source_ids = sorted({s for ids in frame["sources"] for s in ids})
    place_column = PLACE_COLUMNS.get(language, "place")
    places = frame[place_column].where(frame[place_column].astype(bool), frame["place"])
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
        "place": _encoded(places),
        "cas": _encoded(casualties_labels(frame)),
        "desc": _encoded(frame["description"]),
        "src": {
            "codes": source_sets["codes"],
            "values": [[source_index[s] for s in combo.split(";")] for combo in source_sets["values"]],
        },
        "sources": [[citation(sources, s), safe_url((sources.get(s) or {}).get("url"))] for s in source_ids],
    }
    return draw, texts


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script> element: no '<', '>' or '&' can close the tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class IncidentLayer(JSCSSMixin, Layer):
    """The canvas incident layer (static/js/incident-layer.js) with its data, listed in the layer control."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.incidentLayer({{ this.data }}, {{ this.options }},
            function () { return {{ this.texts }}; });
        {% endmacro %}"""
    )
    default_js = ((JS_URL_NAME, "incident-layer.js"),)

    def __init__(
        self, data_json: str, texts_json: str, name: str, show: bool = True, highlight: tuple[str, ...] = ()
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "IncidentLayer"
        self.data = data_json
        self.texts = texts_json
        self.options = script_json({"name": name, "highlight": list(highlight)})

    def render(self, **kwargs: Any) -> None:
        """As MacroElement.render, but the script (megabytes of data) goes in as it is: wrapping it in a
        branca Element would compile it as a Jinja template, which takes a second per 100,000 incidents."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        if self.show:
            self.add_child(ElementAddToElement(self.get_name(), self._parent.get_name()), name=self.get_name() + "_add")
        figure.script.add_child(_RawScript(self._template.module.script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _RawScript(Element):
    """A piece of script inserted as it is (never parsed as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext, label: str = LABEL) -> None:
    draw, texts = payload(frame, ctx.language, ctx.sources)
    IncidentLayer(script_json(draw), script_json(texts), label, show=ctx.visible, highlight=ctx.highlight).add_to(fmap)
