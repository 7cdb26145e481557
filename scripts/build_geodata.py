"""Build the app's base geodata in geodata/ from the openly licensed files in ../shared/sources.

Run: python scripts/build_geodata.py --sources ../shared/sources [--out geodata]

Writes municipalities.geojson (38 municipalities with names in four forms, the `north` flag, area and a
representative point), kosovo.geojson (the outline) and settlements.geojson (populated places of the four
northern municipalities from GeoNames, with GNS names added) plus attribution.json. The incident, crossing,
police-base and source CSV files are curated by hand and are not touched here.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import cyrtranslit
import geopandas as gpd
import pandas as pd
import shapely

METRIC_CRS = "EPSG:32634"  # UTM zone 34N covers all of Kosovo
NORTH = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
GNS_MATCH_METRES = 1500  # a GNS place this close to a GeoNames place with the same folded name is the same place
COORD_DECIMALS = 6  # about 0.1 m: far below the boundaries' own accuracy

GEONAMES_COLUMNS = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1",
    "admin2",
    "admin3",
    "admin4",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modified",
]

ATTRIBUTION = {
    "boundaries": {
        "files": ["municipalities.geojson", "kosovo.geojson"],
        "source": "geoBoundaries gbOpen XKX ADM2 (boundary year 2017) and ADM0 (2021), simplified",
        "licence": "CC BY-SA 2.0",
        "short": "Boundaries: geoBoundaries, CC BY-SA 2.0, © OpenStreetMap contributors",
        "text": (
            "Boundaries: geoBoundaries (Runfola et al. 2020, CC BY-SA 2.0), derived from © OpenStreetMap contributors."
        ),
    },
    "geonames": {
        "files": ["settlements.geojson"],
        "source": "GeoNames export for Kosovo (XK)",
        "licence": "CC BY 4.0",
        "short": "Names: GeoNames, CC BY 4.0",
        "text": "Place names: GeoNames (geonames.org), CC BY 4.0.",
    },
    "gns": {
        "files": ["settlements.geojson"],
        "source": "NGA GEOnet Names Server, country file kv",
        "licence": "US government work",
        "short": "NGA GEOnet Names Server",
        "text": (
            "Toponymic information is based on the Geographic Names Data Base, containing official standard "
            "names approved by the United States Board on Geographic Names and maintained by the National "
            "Geospatial-Intelligence Agency."
        ),
    },
}


def fold(text: str) -> str:
    """Lower-case ASCII form of a name, so that 'Zveçan', 'Zvečan' and 'Zvecan' compare equal."""
    text = text.replace("đ", "dj").replace("Đ", "Dj")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def build_municipalities(sources: Path, names_csv: Path) -> gpd.GeoDataFrame:
    shapes = gpd.read_file(sources / "geoboundaries" / "geoBoundaries-XKX-ADM2_simplified.geojson")
    names = pd.read_csv(names_csv, dtype=str)
    merged = shapes.merge(names, left_on="shapeName", right_on="shape_name", how="outer", indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    if len(unmatched):
        sys.exit(f"{names_csv}: names and boundaries do not match: {unmatched[['shapeName', 'shape_name']]}")
    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=shapes.crs)
    metric = merged.to_crs(METRIC_CRS)
    representative = gpd.GeoSeries(metric.representative_point(), crs=METRIC_CRS).to_crs("EPSG:4326")
    out = gpd.GeoDataFrame(
        {
            "id": merged["id"],
            "name_en": merged["name_en"],
            "name_sq": merged["name_sq"],
            "name_sr": merged["name_sr"],
            "name_sr_cyrl": merged["name_sr"].map(lambda n: cyrtranslit.to_cyrillic(n, "sr")),
            "north": merged["id"].isin(NORTH),
            "area_km2": (metric.area / 1e6).round(1),
            "rep_lat": representative.y.round(5),
            "rep_lon": representative.x.round(5),
            "source_id": merged["shapeID"],
        },
        geometry=merged.geometry.make_valid(),
        crs="EPSG:4326",
    )
    return out.sort_values("id").reset_index(drop=True)


def build_outline(sources: Path) -> gpd.GeoDataFrame:
    outline = gpd.read_file(sources / "geoboundaries" / "geoBoundaries-XKX-ADM0_simplified.geojson")
    return gpd.GeoDataFrame(
        {
            "id": ["kosovo"],
            "name_en": ["Kosovo"],
            "name_sq": ["Kosova"],
            "name_sr": ["Kosovo"],
            "name_sr_cyrl": ["Косово"],
        },
        geometry=outline.geometry.make_valid().values,
        crs="EPSG:4326",
    )


def read_geonames(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=GEONAMES_COLUMNS,
        dtype=str,
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
    )
    return frame[frame["feature_class"] == "P"]


def read_gns(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep="\t", dtype=str, quoting=csv.QUOTE_NONE, keep_default_na=False)
    return frame[frame["FC"] == "P"]


def _points(frame: pd.DataFrame, lat: str, lon: str) -> gpd.GeoDataFrame:
    geometry = gpd.points_from_xy(frame[lon].astype(float), frame[lat].astype(float))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _in_north(points: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    north = municipalities.loc[municipalities["north"], ["id", "geometry"]].rename(columns={"id": "municipality"})
    return gpd.sjoin(points, north, predicate="within", how="inner").drop(columns="index_right")


def _preferred(names: list[tuple[str, str, str]], language: str) -> str:
    """The GNS approved name (N) in a language, else its first variant, else ''."""
    for wanted in ("N", "NS", "V", "VS", "D", "DS"):
        for name, name_type, lang in names:
            if lang == language and name_type == wanted:
                return name
    return ""


def build_settlements(sources: Path, municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geonames = _in_north(
        _points(read_geonames(sources / "gazetteer" / "geonames_XK.txt"), "latitude", "longitude"), municipalities
    )
    gns = _in_north(_points(read_gns(sources / "gazetteer" / "gns_kv.txt"), "LAT", "LONG"), municipalities)

    gns_names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    gns_first: dict[str, pd.Series] = {}
    for _, row in gns.iterrows():
        gns_names[row["UFI"]].append((row["FULL_NAME_RO"], row["NT"], row["LC"]))
        gns_first.setdefault(row["UFI"], row)

    gns_places = gpd.GeoDataFrame(
        {"ufi": list(gns_first)}, geometry=[r.geometry for r in gns_first.values()], crs="EPSG:4326"
    ).to_crs(METRIC_CRS)
    geonames_metric = geonames.to_crs(METRIC_CRS)

    records = []
    used_ufis: set[str] = set()
    for idx, place in geonames.iterrows():
        variants = [place["name"], *[n for n in place["alternatenames"].split(",") if n]]
        folded = {fold(n) for n in variants}
        near = gns_places[gns_places.distance(geonames_metric.loc[idx].geometry) <= GNS_MATCH_METRES]
        matched = [
            ufi for ufi in near["ufi"] if ufi not in used_ufis and folded & {fold(n) for n, _, _ in gns_names[ufi]}
        ]
        # The entry named like the place itself first, so its approved names win over a neighbour's: the town
        # of Zvečan also matches the village of Mali Zvečan nearby, whose variants include "Zvečan".
        own = fold(place["name"])
        matched.sort(key=lambda ufi: not any(fold(n) == own and t == "N" for n, t, _ in gns_names[ufi]))
        gns_variants: list[tuple[str, str, str]] = []
        for ufi in matched:
            used_ufis.add(ufi)
            gns_variants += gns_names[ufi]
        records.append(
            _settlement_record(
                f"geonames:{place['geonameid']}",
                place,
                variants,
                gns_variants,
                "GeoNames" + (" + GNS" if matched else ""),
                ";".join(f"gns:{u}" for u in matched),
            )
        )
    for ufi, row in gns_first.items():
        if ufi not in used_ufis:
            records.append(_settlement_record(f"gns:{ufi}", row, [], gns_names[ufi], "GNS", ""))
    frame = pd.DataFrame(records)
    settlements = gpd.GeoDataFrame(
        frame.drop(columns=["latitude", "longitude"]),
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )
    return settlements.sort_values(["municipality", "name"]).reset_index(drop=True)


def _settlement_record(
    place_id: str,
    row: pd.Series,
    variants: list[str],
    gns_variants: list[tuple[str, str, str]],
    source: str,
    also: str,
) -> dict:
    name_sr = _preferred(gns_variants, "srp") or row.get("name", "")
    name_sq = _preferred(gns_variants, "sqi")
    all_names = list(dict.fromkeys([*variants, *(n for n, _, _ in gns_variants)]))
    primary = row["name"] if "name" in row else (name_sr or name_sq or all_names[0])
    population = int(row["population"]) if "population" in row and row["population"].strip("0").isdigit() else None
    return {
        "id": place_id,
        "name": primary,
        "name_sq": name_sq,
        "name_sr": name_sr,
        "name_sr_cyrl": cyrtranslit.to_cyrillic(name_sr, "sr") if name_sr else "",
        "names": "|".join(all_names),
        "feature_code": row["feature_code"] if "feature_code" in row else row["DSG"],
        "population": population,
        "municipality": row["municipality"],
        "latitude": round(float(row["geometry"].y), 5),
        "longitude": round(float(row["geometry"].x), 5),
        "source": source,
        "also": also,
    }


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame = frame.copy()
    frame["geometry"] = shapely.set_precision(frame.geometry.values, 10**-COORD_DECIMALS)
    frame.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(COORD_DECIMALS), "WRITE_NAME": "NO"},
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True, help="the shared sources folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "geodata")
    args = parser.parse_args(argv)

    municipalities = build_municipalities(args.sources, Path(__file__).with_name("municipality_names.csv"))
    outline = build_outline(args.sources)
    settlements = build_settlements(args.sources, municipalities)
    args.out.mkdir(parents=True, exist_ok=True)
    write_geojson(municipalities, args.out / "municipalities.geojson")
    write_geojson(outline, args.out / "kosovo.geojson")
    write_geojson(settlements, args.out / "settlements.geojson")
    (args.out / "attribution.json").write_text(json.dumps(ATTRIBUTION, indent=2, ensure_ascii=False) + "\n")
    north = municipalities[municipalities["north"]]
    print(f"municipalities: {len(municipalities)} ({len(north)} north)")
    print(north[["id", "area_km2"]].to_string(index=False))
    print(f"settlements: {len(settlements)}", settlements["municipality"].value_counts().to_dict())


if __name__ == "__main__":
    main()
