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
- event_date -> date, read as ISO first (2023-06-02, 2023/06/02, 20230602), then as ACLED writes it
  (02 June 2023), then day-first for anything else.
- location -> place; actor1, actor2 -> actors; fatalities -> fatalities (injuries unknown); notes -> description;
  source -> sources (as text); municipality by point-in-polygon;
  event_id_cnty -> id (else the row number); title = "<sub_event_type> in <location>".
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from src.columns import format_dates
from src.config import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from src.dataset import Dataset
from src.geography import municipalities_at
from src.layers import incidents as incident_layer
from src.loading import LayerData, cycle_collector_paused, rows_to_layer
from src.problems import Problem
from src.reading import csv_header, decode, parse_csv
from src.validation import required_columns

MAX_PROBLEMS_KEPT = 1000  # problems an upload keeps and shows; the rest are counted (full list on request)
EARLY_ROWS = 200  # rows read first: if most of them are invalid the file is refused before the rest is read
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
# Unambiguous forms first: an ISO date is never read day-first.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")


_SERIALS = itertools.count()


@dataclass
class Upload:
    """What an upload gave: valid incidents (prepared like the dataset's), problems, layout and sources."""

    layout: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS_KEPT
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problem_count: int = 0  # every problem, kept or not
    # Unique per upload read (id() may be reused once an older upload is freed): what was drawn keys on it.
    serial: int = field(default_factory=lambda: next(_SERIALS), compare=False, repr=False)

    @property
    def problems_left_out(self) -> int:
        return self.problem_count - len(self.problems)


def acled_category(event_type: str, sub_event_type: str) -> str:
    return str(acled_categories(pd.Series([event_type]), pd.Series([sub_event_type])).iloc[0])


def acled_categories(event_types: pd.Series, sub_event_types: pd.Series) -> pd.Series:
    """The app's category of each ACLED event (see the mapping above)."""
    event = event_types.fillna("").str.strip().str.lower()
    sub = sub_event_types.fillna("").str.strip().str.lower()
    strategic = sub.map(STRATEGIC_DEVELOPMENTS).fillna("political")
    return event.map(EVENT_TYPES).fillna("political").where(event != "strategic developments", strategic)


def parse_dates(texts: pd.Series) -> pd.Series:
    """Each text as a date: every unambiguous format is tried in turn, then day-first for whatever is left
    (NaT where nothing reads it). Each distinct text is read once."""
    codes, distinct = pd.factorize(texts.fillna("").str.strip())
    return pd.Series(_parse_distinct(pd.Series(distinct, dtype=object)).to_numpy()[codes], index=texts.index)


def _parse_distinct(texts: pd.Series) -> pd.Series:
    parsed = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    for pattern in DATE_FORMATS:
        missing = parsed.isna() & (texts != "")
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(texts[missing], format=pattern, errors="coerce")
    missing = parsed.isna() & (texts != "")
    if missing.any():
        parsed[missing] = pd.to_datetime(texts[missing], errors="coerce", dayfirst=True, format="mixed")
    return parsed


def _slugs(texts: pd.Series) -> pd.Series:
    slugs = texts.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-").str[:60]
    return slugs.where(slugs != "", "source")


def _upload_sources(texts: pd.Series) -> tuple[pd.Series, dict[str, dict[str, Any]]]:
    """Each row's `;`-separated sources as a list of session-only source ids (worked out once per distinct
    text)."""
    codes, uniques = pd.factorize(texts)
    sources: dict[str, dict[str, Any]] = {}
    ids_of_text = []
    for text in uniques:
        ids = []
        for name in (part.strip() for part in str(text).split(";") if part.strip()):
            source_id = "upload-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "source")
            sources.setdefault(source_id, {"id": source_id, "publisher": name, "title": "(as given in the upload)",
                                           "date": "", "url": "", "language": ""})  # fmt: skip
            ids.append(source_id)
        ids_of_text.append(ids)
    lists = np.empty(len(ids_of_text), dtype=object)  # filled one by one: numpy would make equal lists 2-D
    for i, ids in enumerate(ids_of_text):
        lists[i] = ids
    return pd.Series(lists[codes], index=texts.index), sources


def acled_frame(raw: pd.DataFrame, lines: pd.Series, municipalities: gpd.GeoDataFrame) -> tuple[pd.DataFrame, dict]:
    """ACLED rows in the app's incident columns, by column; values it cannot map stay as given, for the
    validation to name. Also returns the session-only sources the rows cite."""
    column = lambda name: raw[name].fillna("").str.strip() if name in raw else pd.Series("", index=raw.index)  # noqa: E731
    time_precision = column("time_precision").map(TIME_PRECISION).fillna(column("time_precision"))
    parsed = parse_dates(column("event_date"))
    monthly = time_precision == "month"
    parsed = parsed.where(~monthly, parsed.dt.to_period("M").dt.to_timestamp())
    dates = format_dates(parsed, "%Y-%m-%d").where(parsed.notna(), column("event_date"))
    location = column("location")
    what = column("sub_event_type").where(column("sub_event_type") != "", column("event_type"))
    cited, sources = _upload_sources(column("source"))
    event_ids = _slugs(column("event_id_cnty"))
    actors = (column("actor1") + "; " + column("actor2")).str.strip("; ")
    frame = pd.DataFrame(
        {
            "id": ("acled-" + event_ids).where(column("event_id_cnty") != "", "acled-row-" + lines.astype(str)),
            "date": dates,
            "end_date": "",
            "date_precision": time_precision,
            "category": acled_categories(column("event_type"), column("sub_event_type")),
            "title": what + " in " + location.where(location != "", "an unnamed place"),
            "description": column("notes"),
            "place": location.where(location != "", "unnamed place"),
            "municipality": municipalities_at(column("latitude"), column("longitude"), municipalities),
            "latitude": column("latitude"),
            "longitude": column("longitude"),
            "location_precision": column("geo_precision").map(GEO_PRECISION).fillna(column("geo_precision")),
            "location_source": "acled",
            "fatalities": column("fatalities"),
            "casualty_sources": cited.where(column("fatalities") != "", ""),
            "actors": actors,
            "sources": cited,
        }
    )
    return frame, sources


def read_upload(
    name: str, raw: bytes, data_dir: Path, dataset: Dataset, keep_problems: int | None = MAX_PROBLEMS_KEPT
) -> Upload:
    """Reads an uploaded CSV of incidents in either layout into incidents prepared like the dataset's (search
    text included), so every filter and view takes them as they are. Never raises on bad input. Keeps the
    first `keep_problems` problems (None: all of them) and counts the rest."""
    with cycle_collector_paused():
        layout, layer, sources = _read(name, raw, data_dir, dataset.frame("municipalities"))
        frame = incident_layer.prepare(layer.frame, dataset.gazetteer)
    cited = {source_id for ids in frame["sources"] for source_id in ids}
    kept = layer.problems if keep_problems is None else layer.problems[:keep_problems]
    used = {k: v for k, v in sources.items() if k in cited}
    return Upload(layout, frame, kept, used, problem_count=len(layer.problems))


def _head(text: str, rows: int) -> str | None:
    """The header and the first `rows` records of CSV text (None when the text is no longer than that). Lines
    are handed to the CSV reader one at a time, so only the head of a large file is touched."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        while consumed < len(text):
            start, consumed = consumed, (text.find("\n", consumed) + 1) or len(text)
            yield text[start:consumed]

    reader = csv.reader(lines(), delimiter=csv_header(text)[1])
    try:
        for _ in range(rows + 1):
            next(reader)
    except StopIteration:
        return None
    except csv.Error:
        pass
    return text[:consumed] if consumed < len(text) else None


def _read(
    name: str, raw: bytes, data_dir: Path, municipalities: gpd.GeoDataFrame
) -> tuple[str, LayerData, dict[str, dict[str, Any]]]:
    """The upload's layout, its validated rows and the sources its ACLED rows cite."""
    if len(raw) > MAX_UPLOAD_BYTES:
        size = f"{len(raw) / 1024 / 1024:.1f} MB"
        reason = f"the file is {size}; uploads are limited to {MAX_UPLOAD_MB} MB, so it was not read"
        return "none", _nothing([Problem(name, None, "", reason)]), {}
    text, problems = decode(name, raw)
    if text is None:
        return "none", _nothing(problems), {}
    head = _head(text, EARLY_ROWS)
    if head is not None:
        layout, layer, sources = _read_text(name, head, problems, data_dir, municipalities)
        bad_rows = {p.row for p in layer.problems if p.row is not None}
        if layout == "none":
            return layout, layer, sources
        if len(bad_rows) > EARLY_ROWS // 2:
            reason = (
                f"{len(bad_rows)} of the first {EARLY_ROWS} rows are invalid, so the file was not read further "
                "(the problems with those rows are listed)"
            )
            refused = [Problem(name, None, "", reason), *layer.problems]
            return layout, LayerData("uploaded", incident_layer.empty_frame(), refused), {}
    return _read_text(name, text, problems, data_dir, municipalities)


def _read_text(
    name: str, text: str, problems: list[Problem], data_dir: Path, municipalities: gpd.GeoDataFrame
) -> tuple[str, LayerData, dict[str, dict[str, Any]]]:
    sources: dict[str, dict[str, Any]] = {}
    header, _ = csv_header(text)
    own = required_columns(incident_layer.IncidentRow)
    if all(column in header for column in ACLED_REQUIRED):
        layout = "acled"
        rows, more = parse_csv(name, text, ACLED_REQUIRED)
        lines = pd.Series([line for line, _ in rows], dtype=int)
        mapped, sources = acled_frame(pd.DataFrame([record for _, record in rows]), lines, municipalities)
        columns = list(mapped.columns)
        values = zip(*(mapped[c].tolist() for c in columns), strict=True)
        rows = [(line, dict(zip(columns, row, strict=True))) for line, row in zip(lines.tolist(), values, strict=True)]
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
