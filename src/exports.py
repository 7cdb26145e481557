"""Downloads of exactly the filtered incidents: a CSV safe to open in a spreadsheet, and RFC 7946 GeoJSON.

Both carry where the data comes from and under which terms: the CSV in two columns on every row
(spreadsheets have no place for a preamble), the GeoJSON as top-level members.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from src.layers.incidents import COLUMNS

DATA_SOURCE = (
    "Northern Kosovo map: incidents compiled from the documents cited in each record (see geodata/sources.csv)"
)
LICENCE = (
    "Compilation and descriptions CC BY 4.0, credit 'Northern Kosovo map'; cited documents keep their own copyright"
)
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cited(ids: list[str], sources: Mapping[str, Mapping[str, Any]]) -> str:
    parts = []
    for source_id in ids:
        source = sources.get(source_id, {})
        fields = [source.get(k) for k in ("publisher", "title", "date", "url")]
        parts.append(" | ".join(str(f) for f in fields if f) or source_id)
    return " ;; ".join(parts)


def export_frame(incidents: pd.DataFrame, sources: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """The incidents in the file's own column order, dates as ISO text, lists joined, sources spelled out."""
    frame = pd.DataFrame(
        {
            **{c: incidents[c] for c in COLUMNS},
            "date": incidents["date"].dt.strftime("%Y-%m-%d"),
            "end_date": incidents["end_date"].dt.strftime("%Y-%m-%d").fillna(""),
            "sources": incidents["sources"].map(";".join),
            "related_ids": incidents["related_ids"].map(";".join),
            "casualty_sources": incidents["casualty_sources"].map(";".join),
            "source_citations": incidents["sources"].map(lambda ids: _cited(ids, sources)),
            "data_source": DATA_SOURCE,
            "licence": LICENCE,
        }
    )
    for column in ("fatalities", "fatalities_low", "fatalities_high", "injuries", "injuries_low", "injuries_high"):
        frame[column] = frame[column].astype("Int64")
    return frame.reset_index(drop=True)


def to_csv(incidents: pd.DataFrame, sources: Mapping[str, Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheets read the accents), every formula-like cell neutralised."""
    frame = export_frame(incidents, sources)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame[text_columns] = frame[text_columns].map(neutralise)
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(incidents: pd.DataFrame, sources: Mapping[str, Mapping[str, Any]]) -> bytes:
    """RFC 7946 GeoJSON (WGS 84 longitude/latitude points) with the source and licence as top-level members."""
    frame = export_frame(incidents, sources).drop(columns=["data_source", "licence"])
    features = [
        {
            "type": "Feature",
            "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [round(record["longitude"], 6), round(record["latitude"], 6)]},
            "properties": {k: (None if pd.isna(v) else v) for k, v in record.items()},
        }
        for record in frame.to_dict("records")
    ]
    document = {"type": "FeatureCollection", "data_source": DATA_SOURCE, "licence": LICENCE, "features": features}
    return json.dumps(document, ensure_ascii=False, default=int).encode("utf-8")
