"""Incidents a user brings: a CSV in the app's own incident schema, or an export in ACLED's column layout.

The file is recognised by its columns. ACLED rows are mapped onto the app's schema (below); then every row
goes through the same validation as geodata/incidents.csv, so a bad row is named and the rest load.
Nothing is written to disk: the result lives in the browser session that uploaded it. The product ships
no ACLED data (ACLED's terms forbid redistribution); it only reads what a user brings.

ACLED mapping
- event_type / sub_event_type -> category: Battles -> armed_clash; Explosions/Remote violence -> explosion;
  Violence against civilians -> attack; Riots -> riot; Protests -> protest; Strategic developments:
  Arrests -> arrest, Looting/property destruction -> attack, Agreement -> political,
  Headquarters or base established / Disrupted weapons use / Change to group/activity -> police_operation,
  anything else -> political.
- geo_precision 1 (the named town) -> settlement; 2 (near the named town) -> settlement;
  3 (only a larger region) -> municipality. ACLED never places the site itself, so nothing is "exact".
- time_precision 1 (the day) -> day; 2 (within a week) and 3 (within a month) -> month (date set to the 1st).
- event_date -> date; location -> place; actor1, actor2 -> actors; fatalities -> fatalities (injuries
  unknown); notes -> description; source -> sources (as text); municipality by point-in-polygon;
  event_id_cnty -> id (else the row number); title = "<sub_event_type> in <location>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from src.dataset import Dataset, search_texts
from src.layers import incidents as incident_layer
from src.layers.base import LayerData, Problem, csv_header, decode, parse_csv, required_columns, rows_to_layer

MAX_UPLOAD_MB = 10  # the same limit as server.maxUploadSize in .streamlit/config.toml
ACLED_REQUIRED = (
    "event_date",
    "event_type",
    "sub_event_type",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
)
EVENT_TYPES = {
    "battles": "armed_clash",
    "explosions/remote violence": "explosion",
    "violence against civilians": "attack",
    "riots": "riot",
    "protests": "protest",
}
STRATEGIC_DEVELOPMENTS = {
    "arrests": "arrest",
    "looting/property destruction": "attack",
    "agreement": "political",
    "headquarters or base established": "police_operation",
    "disrupted weapons use": "police_operation",
    "change to group/activity": "police_operation",
}
GEO_PRECISION = {"1": "settlement", "2": "settlement", "3": "municipality"}
TIME_PRECISION = {"1": "day", "2": "month", "3": "month"}


@dataclass
class Upload:
    """What an upload gave: valid incidents (prepared like the dataset's), problems, layout and sources."""

    layout: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def acled_category(event_type: str, sub_event_type: str) -> str:
    event, sub = event_type.strip().lower(), sub_event_type.strip().lower()
    if event == "strategic developments":
        return STRATEGIC_DEVELOPMENTS.get(sub, "political")
    return EVENT_TYPES.get(event, "political")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "source"


def _municipality_at(municipalities: gpd.GeoDataFrame, latitude: str, longitude: str) -> str:
    try:
        point = shapely.Point(float(longitude), float(latitude))
    except ValueError:
        return ""
    hit = municipalities[municipalities.contains(point)]
    return str(hit["id"].iloc[0]) if len(hit) else "outside"


def _acled_row(record: dict[str, str], line: int, municipalities: gpd.GeoDataFrame, sources: dict) -> dict[str, Any]:
    """One ACLED row in the app's incident columns; values it cannot map stay as given, for validation to name."""
    time_precision = TIME_PRECISION.get(record["time_precision"].strip(), record["time_precision"])
    parsed = pd.to_datetime(record["event_date"], errors="coerce", dayfirst=True, format="mixed")
    date: Any = record["event_date"]
    if not pd.isna(parsed):
        date = (parsed.replace(day=1) if time_precision == "month" else parsed).date()
    source_ids = []
    for text in (part.strip() for part in re.split(r";", record.get("source", "")) if part.strip()):
        source_id = f"upload-{_slug(text)}"
        sources.setdefault(
            source_id,
            {
                "id": source_id,
                "publisher": text,
                "title": "(as given in the upload)",
                "date": "",
                "url": "",
                "language": "",
            },
        )
        source_ids.append(source_id)
    location = record.get("location", "").strip()
    what = record["sub_event_type"].strip() or record["event_type"].strip()
    return {
        "id": f"acled-{_slug(record.get('event_id_cnty', '')) or line}"
        if record.get("event_id_cnty")
        else f"acled-row-{line}",
        "date": date,
        "end_date": "",
        "date_precision": time_precision,
        "category": acled_category(record["event_type"], record["sub_event_type"]),
        "title": f"{what} in {location or 'an unnamed place'}",
        "description": record.get("notes", ""),
        "place": location or "unnamed place",
        "municipality": _municipality_at(municipalities, record["latitude"], record["longitude"]),
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "location_precision": GEO_PRECISION.get(record["geo_precision"].strip(), record["geo_precision"]),
        "fatalities": record.get("fatalities", ""),
        "injuries": "",
        "actors": "; ".join(a for a in (record.get("actor1", ""), record.get("actor2", "")) if a.strip()),
        "sources": ";".join(source_ids),
        "related_ids": "",
    }


def read_upload(name: str, raw: bytes, data_dir: Path, dataset: Dataset) -> Upload:
    """Reads an uploaded CSV of incidents in either layout into incidents prepared like the dataset's (search
    text included), so every filter and view takes them as they are. Never raises on bad input."""
    layout, layer, sources = _read(name, raw, data_dir, dataset.frame("municipalities"))
    frame = incident_layer.prepare(layer.frame)
    frame = frame.assign(search_text=search_texts(frame, dataset.frame("municipalities"), dataset.frame("settlements")))
    cited = {source_id for ids in frame["sources"] for source_id in ids}
    return Upload(layout, frame, layer.problems, {k: v for k, v in sources.items() if k in cited})


def _read(
    name: str, raw: bytes, data_dir: Path, municipalities: gpd.GeoDataFrame
) -> tuple[str, LayerData, dict[str, dict[str, Any]]]:
    """The upload's layout, its validated rows and the sources its ACLED rows cite."""
    sources: dict[str, dict[str, Any]] = {}
    if len(raw) > MAX_UPLOAD_MB * 1024 * 1024:
        return "none", _nothing([Problem(name, None, "", f"larger than {MAX_UPLOAD_MB} MB")]), sources
    text, problems = decode(name, raw)
    if text is None:
        return "none", _nothing(problems), sources
    header, _ = csv_header(text)
    own = required_columns(incident_layer.IncidentRow)
    if all(column in header for column in ACLED_REQUIRED):
        layout = "acled"
        rows, more = parse_csv(name, text, ACLED_REQUIRED)
        rows = [(line, _acled_row(record, line, municipalities, sources)) for line, record in rows]
    elif all(column in header for column in own):
        layout = "app"
        rows, more = parse_csv(name, text, own)
    else:
        missing = ", ".join(c for c in own if c not in header)
        acled = ", ".join(ACLED_REQUIRED)
        reason = f"columns not recognised: neither the app's incident columns (missing {missing}) nor ACLED's ({acled})"
        return "none", _nothing([*problems, Problem(name, 1, "header", reason)]), sources
    return layout, rows_to_layer("uploaded", name, rows, problems + more, incident_layer.IncidentRow, data_dir), sources


def _nothing(problems: list[Problem]) -> LayerData:
    return LayerData("uploaded", incident_layer.empty_frame(), problems)
