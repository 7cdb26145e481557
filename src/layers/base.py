"""What every layer shares: problems, the loaded result, tolerant file reading and row validation.

A layer module declares a pydantic row model and calls `load_csv_points` or `load_geojson`; it gets back the
valid rows as a GeoDataFrame and a list of problems naming file, row, field and reason. Nothing here raises
on bad data: a file that cannot be read at all becomes one problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import folium
import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

KOSOVO_FILE = "kosovo.geojson"
# Kosovo's extent with a margin of about 2 km: used when the outline itself cannot be read.
KOSOVO_BOUNDS = (19.99, 41.84, 21.81, 43.29)
KOSOVO_TOLERANCE_DEG = 0.005  # ~500 m: the outline is simplified, points on the line may fall just outside
CSV_DELIMITERS = ",;\t"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. `row` is the line number in a CSV (the header is line 1) or the
    1-based feature number in a GeoJSON file; None when the problem is with the whole file."""

    file: str
    row: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        return f"{where}, {self.field or 'file'}: {self.reason}"


@dataclass(frozen=True)
class DrawContext:
    """What a layer needs to know to draw itself: the name language and whether it starts switched on."""

    language: str = "en"
    visible: bool = True
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    highlight: tuple[str, ...] = ()  # ids of records to ring (briefing slides)


def permanent_label(class_name: str, direction: str = "center") -> folium.JsCode:
    """Binds each feature's own always-visible label (properties.label, already escaped) to that feature.

    A tooltip bound to a whole GeoJson layer opens once for the group; bound per feature, every one shows.
    """
    options = json.dumps({"permanent": True, "direction": direction, "className": class_name, "interactive": False})
    return folium.JsCode(f"function (feature, layer) {{ layer.bindTooltip(feature.properties.label, {options}); }}")


@dataclass
class LayerData:
    """A layer's valid features and what was wrong with the rest."""

    name: str
    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [] if value is None else value


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_:-]*$", max_length=120)]
Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else v)]
RequiredText = Annotated[str, Field(min_length=1)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_to_none)]
OptionalCount = Annotated[int | None, Field(ge=0), BeforeValidator(_blank_to_none)]
LocationPrecision = Literal["exact", "settlement", "municipality"]
DatePrecision = Literal["day", "month", "year"]
IdList = Annotated[list[Slug], BeforeValidator(_split_ids)]
NonEmptyIdList = Annotated[list[Slug], Field(min_length=1), BeforeValidator(_split_ids)]


class Row(BaseModel):
    """Base of every layer's row model: strips spaces, ignores extra columns, reads CSV text as values."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes, tolerant of a BOM and of Latin-1 bytes; None with a problem when empty."""
    if not raw.strip():
        return None, [Problem(name, None, "", "file is empty")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 (byte {err.start}); read as Windows-1252/Latin-1, check accents"
        return raw.decode("cp1252", errors="replace"), [Problem(name, None, "encoding", reason)]


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (see `decode`); None with a problem when it is missing, unreadable or empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(path.name, None, "", f"file not found in {path.parent}")]
    except OSError as err:
        return None, [Problem(path.name, None, "", f"cannot be read: {err.strerror}")]
    return decode(path.name, raw)


def read_json(path: Path) -> tuple[Any, list[Problem]]:
    """A JSON file's document, or None with the problem that makes it unusable (missing, empty, not JSON)."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    try:
        return json.loads(text), problems
    except json.JSONDecodeError as err:
        where = f"at line {err.lineno}, column {err.colno}"
        return None, [*problems, Problem(path.name, None, "", f"not valid JSON: {err.msg} {where}")]


def read_csv_rows(path: Path, required: Iterable[str]) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows of a CSV file as (line number, {column: text}); comma, semicolon or tab separated."""
    text, problems = read_text(path)
    if text is None:
        return [], problems
    rows, more = parse_csv(path.name, text, required)
    return rows, problems + more


def csv_header(text: str) -> tuple[list[str], str]:
    """The header's column names and the delimiter (comma, semicolon or tab, whichever the header uses most)."""
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    return [h.strip() for h in next(csv.reader([first_line], delimiter=delimiter), [])], delimiter


def parse_csv(name: str, text: str, required: Iterable[str]) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows of CSV text; every required column must be in the header."""
    header, delimiter = csv_header(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        return [], [Problem(name, 1, column, f"required column missing (header has: {found})") for column in missing]
    rows, problems = [], []
    try:
        for record in reader:
            if None in record:
                problems.append(Problem(name, reader.line_num, "", "more values than columns; row skipped"))
                continue
            if not any((value or "").strip() for value in record.values()):
                continue
            rows.append((reader.line_num, {k: (v or "") for k, v in record.items()}))
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "", f"CSV cannot be parsed further: {err}"))
    return rows, problems


def validation_problems(file: str, row: int, error: ValidationError) -> list[Problem]:
    """One problem per failed field, in words a data editor understands."""
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "row"
        value = item.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float) and location != "row" else ""
        problems.append(Problem(file, row, location, f"{item['msg']}{shown}"))
    return problems


def validate_rows(
    file: str, rows: Iterable[tuple[int, dict[str, Any]]], model: type[Row]
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    valid, problems = [], []
    for line, record in rows:
        try:
            valid.append((line, model.model_validate(record)))
        except ValidationError as err:
            problems += validation_problems(file, line, err)
    return valid, problems


def drop_duplicate_ids(file: str, rows: list[tuple[int, Row]]) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """Keeps the first row of each id; a later row with the same id is reported, not silently merged."""
    first_line: dict[str, int] = {}
    kept, problems = [], []
    for line, row in rows:
        row_id = row.id  # type: ignore[attr-defined]
        if row_id in first_line:
            problems.append(Problem(file, line, "id", f"duplicate id {row_id!r} (first on row {first_line[row_id]})"))
            continue
        first_line[row_id] = line
        kept.append((line, row))
    return kept, problems


@lru_cache(maxsize=8)
def kosovo_shape(data_dir: Path) -> shapely.Geometry:
    """Kosovo's outline (with a small tolerance) for the 'is this point in Kosovo' check."""
    try:
        outline = gpd.read_file(data_dir / KOSOVO_FILE).geometry.union_all()
    except (OSError, ValueError, RuntimeError):  # the outline's own loader reports why; fall back to the extent
        return shapely.box(*KOSOVO_BOUNDS)
    return outline.buffer(KOSOVO_TOLERANCE_DEG)


def check_in_kosovo(
    file: str, rows: list[tuple[int, Row]], data_dir: Path
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """Drops rows whose point lies outside Kosovo, saying when latitude and longitude look swapped."""
    if not rows:
        return rows, []
    area = kosovo_shape(data_dir)
    lats = [row.latitude for _, row in rows]  # type: ignore[attr-defined]
    lons = [row.longitude for _, row in rows]  # type: ignore[attr-defined]
    inside = shapely.contains_xy(area, lons, lats)
    swapped_inside = shapely.contains_xy(area, lats, lons)
    kept, problems = [], []
    for (line, row), ok, swapped in zip(rows, inside, swapped_inside, strict=True):
        if ok:
            kept.append((line, row))
        elif swapped:
            problems.append(Problem(file, line, "latitude/longitude", "latitude and longitude look swapped"))
        else:
            where = f"({row.latitude}, {row.longitude})"  # type: ignore[attr-defined]
            problems.append(Problem(file, line, "latitude/longitude", f"point {where} is outside Kosovo"))
    return kept, problems


def rows_to_points(rows: list[tuple[int, Row]], columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Valid rows as a point GeoDataFrame in EPSG:4326 (empty, with the columns, when there are none)."""
    columns = list(columns)
    frame = pd.DataFrame([row.model_dump() for _, row in rows], columns=columns)
    geometry = gpd.points_from_xy(frame["longitude"].astype(float), frame["latitude"].astype(float))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def required_columns(model: type[Row]) -> list[str]:
    return [c for c, info in model.model_fields.items() if info.is_required()]


def load_csv_points(name: str, data_dir: Path, file: str, model: type[Row]) -> LayerData:
    """The whole path for a CSV layer of points: read, validate, de-duplicate, keep what lies in Kosovo."""
    raw_rows, problems = read_csv_rows(data_dir / file, required_columns(model))
    return rows_to_layer(name, file, raw_rows, problems, model, data_dir)


def rows_to_layer(
    name: str,
    file: str,
    raw_rows: list[tuple[int, dict[str, Any]]],
    problems: list[Problem],
    model: type[Row],
    data_dir: Path,
) -> LayerData:
    """Validated, de-duplicated rows inside Kosovo as a point layer; every rejected row becomes a problem."""
    rows, bad = validate_rows(file, raw_rows, model)
    rows, duplicates = drop_duplicate_ids(file, rows)
    rows, outside = check_in_kosovo(file, rows, data_dir)
    frame = rows_to_points(rows, model.model_fields)
    all_problems = problems + bad + duplicates + outside
    return LayerData(name, frame, sorted(all_problems, key=lambda p: p.row or 0))


def load_geojson(name: str, data_dir: Path, file: str, model: type[Row]) -> LayerData:
    """The whole path for a GeoJSON layer: parse, validate each feature's properties and geometry."""
    path = data_dir / file
    empty = gpd.GeoDataFrame({c: [] for c in model.model_fields}, geometry=[], crs="EPSG:4326")
    document, problems = read_json(path)
    if document is None:
        return LayerData(name, empty, problems)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        return LayerData(name, empty, [*problems, Problem(file, None, "features", "not a GeoJSON FeatureCollection")])
    records, geometries = [], []
    seen: dict[str, int] = {}
    area = kosovo_shape(data_dir)
    for number, feature in enumerate(features, start=1):
        feature_problems, record, geometry = _check_feature(file, number, feature, model, area)
        if record is not None and record.id in seen:  # type: ignore[attr-defined]
            feature_problems.append(
                Problem(file, number, "id", f"duplicate id {record.id!r} (first on feature {seen[record.id]})")
            )  # type: ignore[attr-defined]
        if feature_problems:
            problems += feature_problems
            continue
        seen[record.id] = number  # type: ignore[union-attr]
        records.append(record.model_dump())  # type: ignore[union-attr]
        geometries.append(geometry)
    if not records:
        return LayerData(name, empty, problems)
    frame = gpd.GeoDataFrame(pd.DataFrame(records), geometry=geometries, crs="EPSG:4326")
    return LayerData(name, frame, problems)


def _check_feature(
    file: str, number: int, feature: Any, model: type[Row], area: shapely.Geometry
) -> tuple[list[Problem], Row | None, shapely.Geometry | None]:
    if not isinstance(feature, dict):
        return [Problem(file, number, "", "feature is not a JSON object")], None, None
    try:
        record = model.model_validate(feature.get("properties") or {})
    except ValidationError as err:
        return (
            [Problem(file, number, f"properties.{p.field}", p.reason) for p in validation_problems(file, number, err)],
            None,
            None,
        )
    try:
        geometry = shapely.geometry.shape(feature.get("geometry") or {})
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as err:
        return [Problem(file, number, "geometry", f"not a valid geometry: {err}")], None, None
    if geometry.is_empty:
        return [Problem(file, number, "geometry", "geometry is empty")], None, None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if not area.intersects(geometry):
        centre = geometry.representative_point()
        swapped = area.contains(shapely.Point(centre.y, centre.x))
        reason = "coordinates look swapped (latitude, longitude)" if swapped else "lies outside Kosovo"
        return [Problem(file, number, "geometry", reason)], None, None
    return [], record, geometry
