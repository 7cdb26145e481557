"""Geographic checks and conversions: is a point in Kosovo, rows to points, which municipality a point is in."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from src.validation import Row

KOSOVO_FILE = "kosovo.geojson"
# Kosovo's extent with a margin of about 2 km: used when the outline itself cannot be read.
KOSOVO_BOUNDS = (19.99, 41.84, 21.81, 43.29)
KOSOVO_TOLERANCE_DEG = 0.005  # ~500 m: the outline is simplified, points on the line may fall just outside
OUTSIDE = "outside"


@lru_cache(maxsize=8)
def kosovo_shape(data_dir: Path) -> shapely.Geometry:
    """Kosovo's outline (with a small tolerance) for the 'is this point in Kosovo' check."""
    try:
        outline = gpd.read_file(data_dir / KOSOVO_FILE).geometry.union_all()
    except (OSError, ValueError, RuntimeError, AttributeError):  # the outline's loader says why; use the extent
        return shapely.box(*KOSOVO_BOUNDS)
    if outline is None or outline.is_empty:
        return shapely.box(*KOSOVO_BOUNDS)
    return outline.buffer(KOSOVO_TOLERANCE_DEG)


def inside_kosovo(lats: np.ndarray, lons: np.ndarray, data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """For each point: is it in Kosovo, and would it be with latitude and longitude swapped."""
    area = kosovo_shape(data_dir)
    return shapely.contains_xy(area, lons, lats), shapely.contains_xy(area, lats, lons)


def rows_to_points(rows: list[tuple[int, Row]], columns: list[str]) -> gpd.GeoDataFrame:
    """Valid rows as a point GeoDataFrame in EPSG:4326 (empty, with the columns, when there are none)."""
    frame = pd.DataFrame([row.__dict__ for _, row in rows], columns=columns)  # the fields, without a dump
    geometry = gpd.points_from_xy(frame["longitude"].astype(float), frame["latitude"].astype(float))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def municipalities_at(
    lats: pd.Series, lons: pd.Series, municipalities: gpd.GeoDataFrame, *, outside: str = OUTSIDE
) -> pd.Series:
    """The municipality id at each point, by one spatial join (`outside` where none contains it, '' where the
    coordinates are not numbers)."""
    lat = pd.to_numeric(lats, errors="coerce")
    lon = pd.to_numeric(lons, errors="coerce")
    result = pd.Series(np.where(lat.notna() & lon.notna(), outside, ""), index=lats.index, dtype=object)
    if municipalities.empty:
        return result
    valid = lat.notna() & lon.notna()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[valid], lat[valid]), index=lat[valid].index, crs=4326)
    joined = gpd.sjoin(points, municipalities[["id", "geometry"]], how="left", predicate="within")
    found = joined["id"][~joined.index.duplicated()].dropna()
    result.loc[found.index] = found
    return result
