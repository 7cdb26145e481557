"""The committed data itself: valid, sourced, placed where it says, and honest about precision."""

from __future__ import annotations

import csv
import re
from functools import cache

import geopandas as gpd
import pandas as pd
import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import Dataset, load_dataset
from src.vocabulary import VIOLENT_CATEGORIES

NORTH = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
POINT_LAYERS = ("crossings", "police_bases", "incidents")
# The boundaries are simplified (a vertex every few hundred metres), so a point near a boundary can fall
# just across it. 500 m covers that, and is far less than any municipality's size except North Mitrovica's.
BOUNDARY_TOLERANCE_M = 500
METRIC_CRS = "EPSG:32634"
# How a placed record says where its point comes from (the forms the research batches were checked against).
LOCATION_SOURCE = re.compile(
    r"^(geonames:\d+|gns:-?\d+|osm:\d+|crossing:[a-z0-9-]+|base:[a-z0-9-]+|site:[a-z0-9-]+|source:[A-Za-z0-9._-]+)$"
)
SITES_FILE = "sites.csv"


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


@cache
def sites() -> dict[str, dict[str, str]]:
    with open(DEFAULT_DATA_DIR / SITES_FILE, encoding="utf-8", newline="") as file:
        return {row["site_id"]: row for row in csv.DictReader(file)}


def point(record) -> tuple[float, float]:
    return round(float(record["latitude"]), 5), round(float(record["longitude"]), 5)


def test_every_source_is_cited_and_described() -> None:
    cited = {s for name in POINT_LAYERS for ids in dataset().frame(name)["sources"] for s in ids}
    cited |= {s for ids in dataset().crossing_status["sources"] for s in ids}
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


def test_at_least_200_incidents() -> None:
    assert len(dataset().incidents) >= 200


def test_at_most_a_fifth_of_incidents_are_placed_only_to_their_municipality() -> None:
    incidents = dataset().incidents
    assert (incidents["location_precision"] == "municipality").mean() <= 0.20


def test_most_violent_incidents_carry_a_casualty_figure() -> None:
    violent = dataset().incidents[dataset().incidents["category"].isin(VIOLENT_CATEGORIES)]
    with_figure = violent["fatalities"].notna() | violent["injuries"].notna()
    assert len(violent) and with_figure.mean() >= 0.60


def test_casualty_figures_name_their_sources_among_the_records_sources() -> None:
    incidents = dataset().incidents
    for row in incidents.itertuples():
        assert set(row.casualty_sources) <= set(row.sources), row.id
        assert set(row.casualty_sources) <= set(dataset().sources), row.id
        has_figure = any(pd.notna(getattr(row, kind)) for kind in ("fatalities", "injuries"))
        assert bool(row.casualty_sources) == has_figure, row.id


def test_at_least_16_bases() -> None:
    assert len(dataset().frame("police_bases")) >= 16


def test_every_crossing_has_a_status_history() -> None:
    history = dataset().crossing_status
    assert set(dataset().frame("crossings")["id"]) <= set(history["crossing_id"])
    assert set(history["crossing_id"]) <= set(dataset().frame("crossings")["id"])
    assert dataset().frame("crossings")["status_history"].map(len).min() >= 1


@pytest.mark.parametrize("name", POINT_LAYERS)
def test_every_placed_record_says_where_its_point_comes_from(name: str) -> None:
    frame = dataset().frame(name)
    placed = frame[frame["location_precision"] != "municipality"]
    assert [
        i for i, s in zip(placed["id"], placed["location_source"], strict=True) if not LOCATION_SOURCE.match(s)
    ] == []
    vague = frame[frame["location_precision"] == "municipality"]
    assert set(vague["location_source"]) <= {"municipality"}


@pytest.mark.parametrize("name", POINT_LAYERS)
def test_location_sources_resolve_and_give_the_records_point(name: str) -> None:
    """`site:` names a row of geodata/sites.csv, `crossing:`/`base:` a crossing or base, `source:` a source;
    the record sits on the point it names."""
    points = {f"site:{i}": point(row) for i, row in sites().items()}
    for layer, prefix in (("crossings", "crossing"), ("police_bases", "base")):
        points |= {f"{prefix}:{row['id']}": point(row) for row in dataset().frame(layer).to_dict("records")}
    for row in dataset().frame(name).to_dict("records"):
        where = row["location_source"]
        if where.startswith("source:"):
            assert where.removeprefix("source:") in row["sources"], row["id"]
        elif where.split(":")[0] in ("site", "crossing", "base"):
            assert points.get(where) == point(row), (row["id"], where)


def test_sites_table_is_placed_and_sourced() -> None:
    municipalities = set(dataset().frame("municipalities")["id"])
    for site_id, row in sites().items():
        assert re.fullmatch(r"[a-z0-9-]+", site_id) and row["municipality"] in municipalities
        assert row["location_precision"] in ("exact", "settlement") and LOCATION_SOURCE.match(row["location_source"])
        if row["location_source"].startswith("source:"):
            assert row["location_source"].removeprefix("source:") in dataset().sources, site_id


def test_no_incident_borrows_a_base_or_crossing_point() -> None:
    """An incident on a base's or crossing's point must name it in related_ids, unless both records are only
    placed at the same shared gazetteer or municipality point (a town holding a station, not the station)."""
    places: dict[tuple[float, float], list[dict]] = {}
    for layer in ("crossings", "police_bases"):
        for row in dataset().frame(layer).to_dict("records"):
            places.setdefault(point(row), []).append(row)
    borrowed = [
        (incident["id"], place["id"])
        for incident in dataset().incidents.to_dict("records")
        for place in places.get(point(incident), [])
        if place["id"] not in incident["related_ids"]
        and not (place["location_precision"] != "exact" and place["location_source"] == incident["location_source"])
    ]
    assert borrowed == []
    placed_from = [
        (row["id"], row["location_source"])
        for row in dataset().incidents.to_dict("records")
        if row["location_source"].startswith(("crossing:", "base:"))
        and row["location_source"].split(":", 1)[1] not in row["related_ids"]
    ]
    assert placed_from == []
