"""Synthetic incidents for the benchmarks: random points inside the four northern municipalities."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from src.config import DEFAULT_DATA_DIR
from src.layers import incidents as incident_layer
from src.vocabulary import CATEGORIES, PRECISIONS

NORTH = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
SOURCE = "icg-20240402-northern-kosovo"


def raw_incidents(n: int, municipalities: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """N incident rows as they stand in incidents.csv (text columns), with realistic text lengths."""
    rng = np.random.default_rng(seed)
    north = municipalities[municipalities["id"].isin(NORTH)]
    area = north.union_all()
    west, south, east, north_edge = area.bounds
    lons: list[float] = []
    lats: list[float] = []
    while len(lons) < n:
        xs = rng.uniform(west, east, n * 2)
        ys = rng.uniform(south, north_edge, n * 2)
        inside = shapely.contains_xy(area, xs, ys)
        lons += list(xs[inside])
        lats += list(ys[inside])
    lon, lat = np.array(lons[:n]), np.array(lats[:n])
    munis = np.full(n, "zvecan", dtype=object)
    for row in north.itertuples():
        munis[shapely.contains_xy(row.geometry, lon, lat)] = row.id
    days = rng.integers(0, 365 * 4, n)
    dates = pd.Timestamp("2021-09-01") + pd.to_timedelta(days, unit="D")
    precision = rng.choice(PRECISIONS, n)
    return pd.DataFrame(
        {
            "id": [f"inc-{d:%Y%m%d}-synthetic-{i}" for i, d in enumerate(dates)],
            "date": dates.strftime("%Y-%m-%d"),
            "end_date": "",
            "date_precision": "day",
            "category": rng.choice(list(CATEGORIES), n),
            "title": [f"Synthetic incident {i}" for i in range(n)],
            "description": "A synthetic record used only to measure speed.",
            "place": "Somewhere",
            "place_sq": "Diku",
            "place_sr": "Negde",
            "municipality": munis,
            "latitude": lat.round(5),
            "longitude": lon.round(5),
            "location_precision": precision,
            "location_source": np.where(precision == "municipality", "municipality", "source:" + SOURCE),
            "fatalities": rng.integers(0, 3, n).astype(str),
            "injuries": "",
            "actors": "",
            "sources": SOURCE,
            "related_ids": "",
        }
    )


def prepared_incidents(n: int, municipalities: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """N incidents prepared as the dataset prepares its own (without the validation a file load does)."""
    frame = raw_incidents(n, municipalities, seed)
    frame["sources"] = [[SOURCE]] * n
    frame["related_ids"] = [[] for _ in range(n)]
    frame["casualty_sources"] = [[] for _ in range(n)]
    frame["fatalities"] = pd.to_numeric(frame["fatalities"])
    frame["injuries"] = None
    return incident_layer.prepare(frame, incident_layer.Gazetteer())


def write_geodata(n: int, target: Path) -> Path:
    """A copy of geodata/ whose incidents.csv holds N synthetic incidents (for GEODATA_DIR)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(DEFAULT_DATA_DIR, target)
    import geopandas as gpd

    municipalities = gpd.read_file(DEFAULT_DATA_DIR / "municipalities.geojson")
    raw_incidents(n, municipalities).to_csv(target / "incidents.csv", index=False)
    return target
