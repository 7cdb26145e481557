"""The whole path from a layer's file to valid features: read, validate, de-duplicate, check the geography.

A loader never raises on bad data: it returns the valid rows and a problem for every row it left out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import ValidationError

from src.geography import inside_kosovo, kosovo_shape, rows_to_points
from src.problems import Problem
from src.reading import Rows, read_csv_rows, read_json
from src.validation import Row, drop_duplicate_ids, required_columns, validate_rows, validation_problems


@dataclass
class LayerData:
    """A layer's valid features and what was wrong with the rest."""

    name: str
    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """For a load that makes hundreds of thousands of short-lived objects, none in a cycle: each automatic
    collection would rescan the whole heap (a 30,000-row upload took 2.5 times as long with it running).
    Reference counting still frees every object as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def empty_frame(model: type[Row]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in model.model_fields}, geometry=[], crs="EPSG:4326")


def load_csv_points(name: str, data_dir: Path, file: str, model: type[Row]) -> LayerData:
    """A CSV layer of points from `data_dir`."""
    raw_rows, problems = read_csv_rows(data_dir / file, required_columns(model))
    return rows_to_layer(name, file, raw_rows, problems, model, data_dir)


def rows_to_layer(
    name: str,
    file: str,
    raw_rows: Rows | list[tuple[int, dict[str, Any]]],
    problems: list[Problem],
    model: type[Row],
    data_dir: Path,
) -> LayerData:
    """Validated, de-duplicated rows inside Kosovo as a point layer; every rejected row becomes a problem."""
    with cycle_collector_paused():
        rows, bad = validate_rows(file, raw_rows, model)
        rows, duplicates = drop_duplicate_ids(file, rows)
        rows, outside = _keep_in_kosovo(file, rows, data_dir)
        frame = rows_to_points(rows, list(model.model_fields))
    all_problems = problems + bad + duplicates + outside
    return LayerData(name, frame, sorted(all_problems, key=lambda p: p.row or 0))


def _keep_in_kosovo(
    file: str, rows: list[tuple[int, Row]], data_dir: Path
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """Drops rows whose point lies outside Kosovo, saying when latitude and longitude look swapped."""
    if not rows:
        return rows, []
    lats = [row.latitude for _, row in rows]  # type: ignore[attr-defined]
    lons = [row.longitude for _, row in rows]  # type: ignore[attr-defined]
    inside, swapped_inside = inside_kosovo(lats, lons, data_dir)  # type: ignore[arg-type]
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


def load_geojson(name: str, data_dir: Path, file: str, model: type[Row]) -> LayerData:
    """A GeoJSON layer: parse, validate each feature's properties and geometry."""
    empty = empty_frame(model)
    document, problems = read_json(data_dir / file)
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
        problems += feature_problems  # a repaired geometry is reported and still drawn
        if record is None:
            continue
        record_id = record.id  # type: ignore[attr-defined]
        if record_id in seen:
            problems.append(
                Problem(file, number, "id", f"duplicate id {record_id!r} (first on feature {seen[record_id]})")
            )
            continue
        seen[record_id] = number
        records.append(record.model_dump())
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
        found = validation_problems(file, number, err)
        return [Problem(file, number, f"properties.{p.field}", p.reason) for p in found], None, None
    try:
        geometry = shapely.geometry.shape(feature.get("geometry") or {})
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as err:
        return [Problem(file, number, "geometry", f"not a valid geometry: {err}")], None, None
    if geometry.is_empty:
        return [Problem(file, number, "geometry", "geometry is empty")], None, None
    problems: list[Problem] = []
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        problems.append(Problem(file, number, "geometry", f"invalid geometry ({reason}); repaired for drawing"))
        geometry = shapely.make_valid(geometry)
    if not area.intersects(geometry):
        centre = geometry.representative_point()
        swapped = area.contains(shapely.Point(centre.y, centre.x))
        reason = "coordinates look swapped (latitude, longitude)" if swapped else "lies outside Kosovo"
        return [*problems, Problem(file, number, "geometry", reason)], None, None
    return problems, record, geometry
