"""The app's reader for a PostGIS store: the same layers the files give, fresh within a TTL.

The small layers are read back as the files' own rows (the exporter writes a snapshot folder, so the loaders
validate it exactly as they validate geodata/). Incidents are not validated again on the way out: the
schema's constraints guarantee what the model checks, so their rows come straight from SQL into a frame,
column by column, and get the prepared columns of src.layers.incidents.prepare. Each session's call looks
at the store's data version at most every TTL seconds and reloads only when it changed, so a row added or
changed in PostGIS shows on any rerun that starts more than TTL seconds later (GEODATA_TTL, default 10 s).

Up to INLINE_LIMIT incidents are held in memory and filtered like the files' ones. Above it (an ACLED-style
feed of millions of rows) incidents stay in PostGIS: a view is filtered in SQL (dates, categories,
municipalities, precision, text, bounding box) and at most POINT_LIMIT matching points, newest first, come
back; `count` gives the number matching and `cells` the counts per grid cell for an overview at low zoom.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg

from src.dataset import Dataset, load_dataset
from src.filters import filter_incidents
from src.layers import incidents as incident_layer
from src.store.exporter import export
from src.store.layout import INCIDENTS, SESSION_SETUP
from src.text import fold
from src.view import View
from src.vocabulary import CATEGORIES, PRECISIONS

TTL_VARIABLE = "GEODATA_TTL"
DEFAULT_TTL_SECONDS = 10.0
INLINE_LIMIT = 50_000  # GEODATA_INLINE_LIMIT overrides it (benchmarks compare sending every incident)
INLINE_VARIABLE = "GEODATA_INLINE_LIMIT"
POINT_LIMIT = 10_000  # up to this many matching incidents are fetched (and drawn one by one)
NEWEST_LIMIT = 1_000  # of more, the newest this many are fetched (tables, the briefing's highlights)
CACHED_VIEWS = 16  # views whose answers (count, points, cells) are kept until the data change
MAP_PIXELS = (1280, 800)  # the viewport assumed when a view's centre and zoom become a bounding box

BBox = tuple[float, float, float, float]  # west, south, east, north
PlaceKey = tuple[str, str, str, str]  # place, place_sq, place_sr, municipality: a row of incident_place_texts


def ttl_seconds() -> float:
    """How stale the app's data may be: GEODATA_TTL seconds (default 10)."""
    try:
        return max(0.0, float(os.environ.get(TTL_VARIABLE, DEFAULT_TTL_SECONDS)))
    except ValueError:
        return DEFAULT_TTL_SECONDS


def inline_limit() -> int:
    """The most incidents held in memory and sent to the browser whole: GEODATA_INLINE_LIMIT, or INLINE_LIMIT."""
    try:
        return int(os.environ.get(INLINE_VARIABLE, INLINE_LIMIT))
    except ValueError:
        return INLINE_LIMIT


def view_bbox(view: View, pixels: tuple[int, int] = MAP_PIXELS) -> BBox:
    """The area a map of `pixels` shows at the view's centre and zoom (Web Mercator), as west, south, east, north."""
    lat, lon = view.center
    degrees_per_pixel = 360 / (256 * 2**view.zoom)
    half_width = pixels[0] / 2 * degrees_per_pixel
    half_height = pixels[1] / 2 * degrees_per_pixel * math.cos(math.radians(lat))
    return (lon - half_width, lat - half_height, lon + half_width, lat + half_height)


def where_clause(
    view: View, places: Callable[[str], list[PlaceKey]], bbox: BBox | None = None, longest_days: int | None = None
) -> tuple[str, list[object]]:
    """SQL conditions selecting what src.filters.filter_incidents selects for the view (and inside `bbox`).
    `places(word)` gives the places whose text (incident_place_texts) holds a word of the query. With
    `longest_days`, the most days any stored incident covers, a start date also bounds `date` from below (a
    redundant condition that lets the date indexes skip everything older)."""
    conditions, params = ["TRUE"], []
    if view.start is not None:
        conditions.append("t.last_date >= %s")
        params.append(view.start)
        if longest_days is not None:
            conditions.append("t.date >= %s")
            params.append(view.start - dt.timedelta(days=longest_days))
    if view.end is not None:
        conditions.append("t.date <= %s")
        params.append(view.end)
    for column, values, vocabulary, sql_type in (
        ("category", view.categories, CATEGORIES, "incident_category[]"),
        ("municipality", view.municipalities, None, "text[]"),
        ("location_precision", view.precisions, PRECISIONS, "location_precision[]"),
    ):
        if values:  # compared as the column's own type, so that its index serves
            known = [v for v in values if vocabulary is None or v in vocabulary]
            conditions.append(f"t.{column} = ANY(%s::{sql_type})")
            params.append(known)
    for word in fold(view.query).split() if view.query.strip() else []:
        # The record's own words (LIKE, which the trigram index serves), or what its place adds: the places
        # are found first (a few hundred texts), so that their incidents come through the place index.
        condition, keys = "t.search_text LIKE %s", places(word)
        params.append(like_pattern(word))
        if keys:
            condition = (
                f"({condition} OR t.place = ANY(%s::text[]) AND (t.place, t.place_sq, t.place_sr,"
                " t.municipality::text) IN (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])))"
            )
            columns = [list(column) for column in zip(*keys, strict=True)]
            params.extend([columns[0], *columns])
        conditions.append(condition)
    if bbox is not None:
        conditions.append("t.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
        params.extend(bbox)
    return " AND ".join(conditions), params


def like_pattern(word: str) -> str:
    """A LIKE pattern matching texts that hold `word` anywhere, its own % _ and \\ taken literally."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _incident_select(rows: str = "incidents") -> str:
    """The incidents' file columns as typed values: source lists as arrays, coordinates as floats; of the
    table, or of `rows` (a query's name for some of its rows)."""
    links = {link.column: link for link in INCIDENTS.links}
    parts = []
    for column in INCIDENTS.columns:
        if column in links:
            link = links[column]
            parts.append(  # ARRAY(…), not array_agg: 10-25 ms less for 7,500 rows
                f"ARRAY(SELECT l.source_id::text FROM {link.table} l WHERE l.{link.key} = t.id ORDER BY l.position)"
                f" AS {column}"
            )
        elif column in ("latitude", "longitude"):
            parts.append(f"t.{column}::float8")
        elif column in INCIDENTS.arrays:
            parts.append(f"t.{column}::text[]")
        else:
            parts.append(f"t.{column}::text" if column in ENUM_COLUMNS else f"t.{column}")
    return f"SELECT {', '.join(parts)} FROM {rows} t"


ENUM_COLUMNS = ("date_precision", "category", "location_precision")


def incident_frame(rows: list[tuple], gazetteer: incident_layer.Gazetteer | None) -> gpd.GeoDataFrame:
    """Rows of `_incident_select` as the incident layer's frame, prepared like the files' ones. Without a
    gazetteer the search text is left blank (the rows were filtered in SQL already)."""
    frame = pd.DataFrame.from_records(rows, columns=list(INCIDENTS.columns))
    for column in ("date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"])
    frame = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    if gazetteer is not None:
        return incident_layer.prepare(frame, gazetteer)
    return prepare_without_search(frame)


def prepare_without_search(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """src.layers.incidents.prepare minus the search text (blank): the cheap columns, by column."""
    from cyrtranslit import to_cyrillic

    out = frame.copy()
    for column in ("fatalities", "fatalities_low", "fatalities_high", "injuries", "injuries_low", "injuries_high"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    out["last_date"] = incident_layer.last_dates(out)
    out["date_label"] = incident_layer.date_labels(out)
    cyrillic = {p: to_cyrillic(p, "sr") if p else "" for p in out["place_sr"].unique()}
    out["place_sr_cyrl"] = out["place_sr"].map(cyrillic)
    out["casualties"] = incident_layer.casualties_labels(out)
    out["search_text"] = ""
    return out


@dataclass
class _Snapshot:
    version: int
    dataset: Dataset
    folder: tempfile.TemporaryDirectory
    total: int  # incidents in the store
    categories: pd.Series  # incidents per category (what the legend counts)
    longest_days: int  # the most days one incident covers (the start date's lower bound on `date`)
    dates: tuple[dt.date, dt.date] | None  # the first date and the last day an end date or date gives
    in_sql: bool  # incidents are too many for memory and stay in PostGIS
    checked: float = field(default_factory=time.monotonic)
    answers: dict[tuple, object] = field(default_factory=dict)  # per question and view (filters only)

    def answer(self, question: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()`, kept for this version of the data (the oldest answer dropped past CACHED_VIEWS * 3)."""
        if question not in self.answers:
            if len(self.answers) >= CACHED_VIEWS * 3:
                self.answers.pop(next(iter(self.answers)))
            self.answers[question] = compute()
        return self.answers[question]


def _filters(view: View, bbox: BBox | None) -> tuple:
    """What of a view its answer depends on (not the language, layers, centre or zoom)."""
    return (view.start, view.end, view.categories, view.municipalities, view.precisions, view.query, bbox)


CELL_DEGREES = 0.01  # the grid of migration 0003's `cell` column
_CELL_COLUMNS = 36001


def cell_centres(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude of the centre of each grid cell (the `cell` column of migration 0003)."""
    rows, columns = cells // _CELL_COLUMNS, cells % _CELL_COLUMNS
    return (rows - 9000 + 0.5) * CELL_DEGREES, (columns - 18000 + 0.5) * CELL_DEGREES


class Store:
    """One PostGIS store as the app sees it; shared by every session of a process (thread-safe)."""

    def __init__(self, url: str, ttl: float | None = None) -> None:
        self.url = url
        self.ttl = ttl_seconds() if ttl is None else ttl
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, autocommit=True)
        conn.execute(SESSION_SETUP)  # type: ignore[arg-type]
        conn.execute("SET jit = off")  # compiling a view's query took longer than running it
        # A text search for a short or common word scans: in parallel even under a LIMIT (which the planner,
        # guessing that half of the rows match, would otherwise read with one process).
        conn.execute("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0.01")
        return conn

    def version(self) -> int:
        """The store's data version: it grows with every statement that changes a table."""
        with self._connect() as conn:
            return int(conn.execute("SELECT last_value FROM data_version").fetchone()[0])  # type: ignore[index]

    def _load(self, version: int) -> _Snapshot:
        with self._connect() as conn:  # one scan: incidents per category, the longest one's days, the dates
            rows = conn.execute(
                "SELECT category::text, count(*), max(last_date - date), min(date), max(coalesce(end_date, date))"
                " FROM incidents GROUP BY 1"
            ).fetchall()
        categories = {row[0]: row[1] for row in rows}
        longest = max((row[2] for row in rows), default=0)
        dates = (min(row[3] for row in rows), max(row[4] for row in rows)) if rows else None
        total = sum(categories.values())
        in_sql = total > inline_limit()
        folder = tempfile.TemporaryDirectory(prefix="geodata-store-")
        export(self.url, Path(folder.name), incident_limit=0)
        dataset = load_dataset(Path(folder.name))
        if not in_sql:
            with self._connect() as conn:
                rows = conn.execute(f"{_incident_select()} ORDER BY t.ord").fetchall()  # type: ignore[arg-type]
            dataset.layers[INCIDENTS.table].frame = incident_frame(rows, dataset.gazetteer)
        counts = pd.Series(categories, dtype="int64")
        return _Snapshot(version, dataset, folder, int(total), counts, int(longest), dates, in_sql)

    def _current(self) -> _Snapshot:
        with self._lock:
            snapshot = self._snapshot
            if snapshot is not None and time.monotonic() - snapshot.checked < self.ttl:
                return snapshot
            version = self.version()
            if snapshot is None or version != snapshot.version:
                old, self._snapshot = snapshot, self._load(version)
                if old is not None:
                    old.folder.cleanup()
            else:
                snapshot.checked = time.monotonic()
            return self._snapshot  # type: ignore[return-value]

    def dataset(self) -> Dataset:
        """Every layer, validated by the file loaders; incidents empty when they are filtered in SQL."""
        return self._current().dataset

    def incidents_in_sql(self) -> bool:
        return self._current().in_sql

    def date_bounds(self) -> tuple[dt.date, dt.date] | None:
        """The first day and the last day (end date, else date) of the store's incidents; None when empty."""
        return self._current().dates

    def forget_answers(self) -> None:
        """Drops the views' kept answers (a benchmark measures each view as first asked)."""
        self._current().answers.clear()

    def total(self) -> int:
        """How many incidents the store holds."""
        return self._current().total

    def category_counts(self) -> pd.Series:
        """How many incidents the store holds per category."""
        return self._current().categories

    def _where(self, view: View, bbox: BBox | None) -> tuple[str, list[object]]:
        return where_clause(view, self._places, bbox, self._current().longest_days)

    def _places(self, word: str) -> list[PlaceKey]:
        """The places whose search text holds `word` (incident_place_texts: one row per distinct place)."""

        def fetch() -> list[PlaceKey]:
            with self._connect() as conn:
                query = (
                    "SELECT place, place_sq, place_sr, municipality FROM incident_place_texts"
                    " WHERE strpos(search_text, %s) > 0"
                )
                return [tuple(row) for row in conn.execute(query, [word]).fetchall()]  # type: ignore[misc]

        return self._current().answer(("places", word), fetch)

    def _few(self, view: View, bbox: BBox | None, limit: int = POINT_LIMIT) -> pd.DataFrame | None:
        """The view's incidents, prepared and newest first, when at most `limit` match, else None: one query
        that stops reading as soon as there are more, and looks up the rows' source lists only when there are
        not (a count then fetch by id took 0.07-0.1 s more for 7,500 incidents of a million)."""
        condition, params = self._where(view, bbox)
        if condition == "TRUE" and self.total() > limit:
            return None

        def fetch() -> pd.DataFrame | None:
            query = (  # one row of NULLs after the count when none match or too many do; the count's test
                # is a subquery of its own so that it runs once, before any row's source lists are looked up
                f"WITH hits AS MATERIALIZED (SELECT * FROM incidents t WHERE {condition} LIMIT %s),"
                " matching AS MATERIALIZED (SELECT count(*) AS n FROM hits)"
                f" SELECT (SELECT n FROM matching), picked.* FROM (SELECT) one LEFT JOIN LATERAL"
                f" ({_incident_select('hits')} WHERE (SELECT n FROM matching) <= %s) picked ON TRUE"
                " ORDER BY picked.date DESC, picked.id"
            )
            with self._connect() as conn:
                rows = conn.execute(query, [*params, limit + 1, limit]).fetchall()  # type: ignore[arg-type]
            if rows[0][0] > limit:
                return None
            return incident_frame([row[1:] for row in rows] if rows[0][0] else [], None)

        return self._current().answer(("few", limit, *_filters(view, bbox)), fetch)

    def filtered(
        self, view: View, bbox: BBox | None = None, limit: int = POINT_LIMIT, newest: int = NEWEST_LIMIT
    ) -> pd.DataFrame:
        """The incidents the view selects, prepared like the files' ones; in SQL when they are many: all of
        them when at most `limit` match, else the `newest` ones (the page says how many match)."""
        snapshot = self._current()
        if not snapshot.in_sql:
            return filter_incidents(snapshot.dataset.incidents, view)
        few = self._few(view, bbox, limit)
        if few is not None:
            return few.copy()

        def fetch() -> pd.DataFrame:  # walk the date index from the newest until enough match
            condition, params = self._where(view, bbox)
            query = f"{_incident_select()} WHERE {condition} ORDER BY t.date DESC, t.id LIMIT {newest}"
            with self._connect() as conn:
                rows = conn.execute(query, params).fetchall()  # type: ignore[arg-type]
            return incident_frame(rows, None)

        return snapshot.answer(("newest", newest, *_filters(view, bbox)), fetch).copy()

    def count(self, view: View, bbox: BBox | None = None) -> int:
        """How many incidents the view selects, counted in SQL (the store's total when nothing is filtered).
        Of more than POINT_LIMIT, the sum of the view's cells: a map showing them needs that scan anyway, and
        a count of its own was a second one (0.45 s for a text search of a million incidents)."""
        condition, _ = self._where(view, bbox)
        if condition == "TRUE":
            return self.total()
        few = self._few(view, bbox, POINT_LIMIT)
        if few is not None:
            return len(few)
        return int(self.cells(view, bbox)["count"].sum())

    def cells(self, view: View, bbox: BBox | None = None) -> pd.DataFrame:
        """Counts of the view's incidents per grid cell of CELL_DEGREES (latitude, longitude of the cell's
        centre, count), most first: the overview a map draws instead of a million points."""

        def fetch() -> pd.DataFrame:
            condition, params = self._where(view, bbox)
            query = f"SELECT t.cell, count(*) FROM incidents t WHERE {condition} GROUP BY t.cell ORDER BY 2 DESC, 1"
            with self._connect() as conn:
                rows = conn.execute(query, params).fetchall()  # type: ignore[arg-type]
            frame = pd.DataFrame(rows, columns=["cell", "count"]).astype("int64")
            latitude, longitude = cell_centres(frame["cell"])
            return pd.DataFrame({"latitude": latitude, "longitude": longitude, "count": frame["count"]})

        return self._current().answer(("cells", *_filters(view, bbox)), fetch)


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def store(url: str) -> Store:
    """The process's one Store for `url`."""
    with _STORES_LOCK:
        return _STORES.setdefault(url, Store(url))
