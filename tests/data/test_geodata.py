"""The committed data itself: valid, sourced, placed where it says, and honest about precision."""

from __future__ import annotations

import re
from functools import cache

import geopandas as gpd
import pandas as pd
import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import Dataset, load_dataset

NORTH = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
POINT_LAYERS = ("crossings", "police_bases", "incidents")
# The boundaries are simplified (a vertex every few hundred metres), so a point near a boundary can fall
# just across it. 500 m covers that, and is far less than any municipality's size except North Mitrovica's.
BOUNDARY_TOLERANCE_M = 500
METRIC_CRS = "EPSG:32634"


@cache
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


def test_every_file_loads_with_zero_problems() -> None:
    assert [str(p) for p in dataset().problems] == []


def test_every_raw_row_survives_loading() -> None:
    for name in POINT_LAYERS:
        raw = pd.read_csv(DEFAULT_DATA_DIR / f"{name}.csv", dtype=str)
        assert len(dataset().frame(name)) == len(raw), name


@pytest.mark.parametrize("name", POINT_LAYERS)
def test_points_lie_in_their_stated_municipality(name: str) -> None:
    frame = dataset().frame(name)
    placed = frame[frame["location_precision"].isin(["exact", "settlement"])].to_crs(METRIC_CRS)
    municipalities = dataset().frame("municipalities").set_index("id").to_crs(METRIC_CRS)
    misplaced = [
        (row.id, row.municipality, round(municipalities.geometry[row.municipality].distance(row.geometry)))
        for row in placed.itertuples()
        if municipalities.geometry[row.municipality].distance(row.geometry) > BOUNDARY_TOLERANCE_M
    ]
    assert misplaced == []


@pytest.mark.parametrize("name", POINT_LAYERS)
def test_municipality_precision_uses_the_representative_point(name: str) -> None:
    frame = dataset().frame(name)
    municipalities = dataset().frame("municipalities").set_index("id")
    vague = frame[frame["location_precision"] == "municipality"]
    wrong = [
        row.id
        for row in vague.itertuples()
        if (round(row.latitude, 5), round(row.longitude, 5))
        != (municipalities.rep_lat[row.municipality], municipalities.rep_lon[row.municipality])
    ]
    assert wrong == []


@pytest.mark.parametrize("name", POINT_LAYERS)
def test_every_record_cites_known_sources(name: str) -> None:
    frame = dataset().frame(name)
    assert frame["sources"].map(len).min() >= 1
    unknown = {
        (r, s) for r, ids in zip(frame["id"], frame["sources"], strict=True) for s in ids if s not in dataset().sources
    }
    assert unknown == set()


def test_every_source_is_cited_and_described() -> None:
    cited = {s for name in POINT_LAYERS for ids in dataset().frame(name)["sources"] for s in ids}
    cited |= dataset().profiles.source_ids()
    assert set(dataset().sources) == cited
    for source in dataset().sources.values():
        assert source["publisher"] and source["title"]


def test_ids_are_unique_across_layers() -> None:
    ids = pd.concat([dataset().frame(name)["id"] for name in POINT_LAYERS])
    assert ids.is_unique


def test_related_ids_resolve_to_crossings_or_bases() -> None:
    known = set(dataset().frame("crossings")["id"]) | set(dataset().frame("police_bases")["id"])
    related = {r for ids in dataset().incidents["related_ids"] for r in ids}
    assert related - known == set()
    assert {"jarinje", "brnjak"} <= related


def test_incident_dates_are_consistent() -> None:
    incidents = dataset().incidents
    lasting = incidents.dropna(subset=["end_date"])
    assert (lasting["end_date"] >= lasting["date"]).all()
    coarse = incidents[incidents["date_precision"] != "day"]
    assert (coarse["date"].dt.day == 1).all()
    assert (coarse[coarse["date_precision"] == "year"]["date"].dt.month == 1).all()


def test_incident_ids_carry_their_date() -> None:
    incidents = dataset().incidents
    expected = "inc-" + incidents["date"].dt.strftime("%Y%m%d")
    assert [i for i, e in zip(incidents["id"], expected, strict=True) if not i.startswith(e)] == []


def test_coverage_of_the_dataset() -> None:
    incidents = dataset().incidents
    assert len(incidents) >= 80
    assert set(NORTH) <= set(incidents["municipality"])
    assert set(range(2021, 2026)) <= set(incidents["date"].dt.year)
    assert incidents["title"].str.len().max() <= 120
    assert (incidents["description"].str.len().between(20, 900)).all()
    sentences = incidents["description"].map(lambda text: len(re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip())))
    assert sentences.between(1, 3).all()


def test_seed_milestones_are_in_the_dataset() -> None:
    """The events the seed report is built around must all be there, on their dates."""
    incidents = dataset().incidents.assign(day=lambda f: f["date"].dt.strftime("%Y-%m-%d"))
    milestones = {
        "2021-09-20": "barricade",  # licence-plate barricades at Jarinje and Brnjak
        "2022-12-10": "barricade",  # December 2022 barricades
        "2023-04-23": "political",  # boycotted local elections
        "2023-05-29": "riot",  # Zvečan clash with KFOR
        "2023-09-24": "armed_clash",  # Banjska
        "2024-02-01": "administrative_measure",  # dinar ban
    }
    for day, category in milestones.items():
        assert category in set(incidents.loc[incidents["day"] == day, "category"]), day


def test_crossings_include_the_two_northern_posts() -> None:
    crossings = dataset().frame("crossings").set_index("id")
    assert crossings.loc["jarinje", "municipality"] == "leposavic"
    assert crossings.loc["brnjak", "municipality"] == "zubin-potok"


def test_municipality_geometries_are_valid_and_metric_areas_match() -> None:
    municipalities = dataset().frame("municipalities")
    recomputed = gpd.GeoSeries(municipalities.geometry, crs="EPSG:4326").to_crs(METRIC_CRS).area / 1e6
    assert (abs(recomputed - municipalities["area_km2"]) < 0.1).all()


def test_every_northern_municipality_has_a_sourced_profile() -> None:
    profiles = dataset().profiles
    assert set(profiles.municipalities) == set(NORTH)
    for profile in profiles.municipalities.values():
        assert profile.population and profile.source_ids() <= set(dataset().sources)
        assert any(figure.kind == "census" and figure.year == 2024 for figure in profile.population)
