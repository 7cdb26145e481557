"""Dated incidents: their schema and the columns every view needs, prepared once for the dataset and uploads.

Drawing is in src/drawing/incidents.py (one canvas layer fed compact columns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from pydantic import Field, model_validator

from src.columns import format_dates
from src.layers.spec import LayerSpec
from src.text import fold_series
from src.validation import (
    IdList,
    Latitude,
    Longitude,
    NonEmptyIdList,
    OptionalCount,
    OptionalDate,
    RequiredText,
    Row,
    Slug,
    Text,
)
from src.vocabulary import DATE_FORMATS, Category, DatePrecision, LocationPrecision

FILE = "incidents.csv"
# The columns of incidents.csv, in order (also the export's).
COLUMNS = (
    "id",
    "date",
    "end_date",
    "date_precision",
    "category",
    "title",
    "description",
    "place",
    "place_sq",
    "place_sr",
    "municipality",
    "latitude",
    "longitude",
    "location_precision",
    "location_source",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injuries",
    "injuries_low",
    "injuries_high",
    "casualty_sources",
    "actors",
    "sources",
    "related_ids",
)
# What `prepare` adds, once, so that filtering, tables and drawing stay cheap on every rerun.
PREPARED_COLUMNS = ("last_date", "date_label", "place_sr_cyrl", "casualties", "search_text")
PLACE_COLUMNS = {"en": "place", "sq": "place_sq", "sr": "place_sr", "sr_cyrl": "place_sr_cyrl"}


class IncidentRow(Row):
    id: Slug
    date: dt.date
    end_date: OptionalDate = None
    date_precision: DatePrecision
    category: Category
    title: RequiredText = Field(max_length=200)
    description: Text = ""
    place: RequiredText
    place_sq: Text = ""
    place_sr: Text = ""
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    location_source: Text = ""
    fatalities: OptionalCount = None
    fatalities_low: OptionalCount = None
    fatalities_high: OptionalCount = None
    injuries: OptionalCount = None
    injuries_low: OptionalCount = None
    injuries_high: OptionalCount = None
    casualty_sources: IdList = Field(default_factory=list)
    actors: Text = ""
    sources: NonEmptyIdList
    related_ids: IdList = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> IncidentRow:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        for kind, low, best, high in (
            ("fatalities", self.fatalities_low, self.fatalities, self.fatalities_high),
            ("injuries", self.injuries_low, self.injuries, self.injuries_high),
        ):
            if low is None and high is None:
                continue  # a best count alone (or none) is always consistent
            if best is None:
                raise ValueError(f"{kind}_low/{kind}_high given without {kind}")
            if not (low or 0) <= best <= (best if high is None else high):
                raise ValueError(f"{kind} {best} is not between {kind}_low and {kind}_high")
        if self.casualty_sources and not set(self.casualty_sources).issubset(self.sources):
            unsupported = set(self.casualty_sources) - set(self.sources)
            raise ValueError(f"casualty_sources {sorted(unsupported)} are not among the record's sources")
        return self


@dataclass(frozen=True)
class Gazetteer:
    """What a free-text search matches beyond the record itself: municipality names in every language and
    every gazetteer variant of a place's name."""

    municipality_names: Mapping[str, str] = field(default_factory=dict)
    variants: Mapping[str, str] = field(default_factory=dict)  # folded name -> folded variants, space-joined

    @classmethod
    def of(cls, municipalities: pd.DataFrame, settlements: pd.DataFrame) -> Gazetteer:
        names = {}
        if len(municipalities):
            joined = municipalities[["name_en", "name_sq", "name_sr", "name_sr_cyrl"]].astype(str).agg(" ".join, axis=1)
            names = dict(zip(municipalities["id"], fold_series(joined), strict=True))
        variants: dict[str, set[str]] = {}
        for names_text in settlements.get("names", pd.Series(dtype=str)):
            folded = set(fold_series(pd.Series(str(names_text).split("|"))).tolist()) - {""}
            for name in folded:
                variants.setdefault(name, set()).update(folded)
        return cls(names, {name: " ".join(sorted(v)) for name, v in variants.items()})


def casualties_labels(frame: pd.DataFrame) -> pd.Series:
    """'2 killed (1–3), 30 injured' per incident; a blank count is unknown and says so (never 0)."""

    def part(kind: str, word: str) -> pd.Series:
        best = frame[kind].astype("Int64")
        text = best.astype(str) + f" {word}"
        if f"{kind}_low" in frame and f"{kind}_high" in frame:
            low, high = frame[f"{kind}_low"].astype("Int64"), frame[f"{kind}_high"].astype("Int64")
            spread = low.notna() & high.notna() & (low != high)
            text = text.where(~spread, text + " (" + low.astype(str) + "–" + high.astype(str) + ")")
        return text.where(best.notna(), f"{word}: unknown")

    if frame.empty:
        return pd.Series([], index=frame.index, dtype=str)
    return part("fatalities", "killed").str.cat(part("injuries", "injured"), sep=", ")


def last_dates(frame: pd.DataFrame) -> pd.Series:
    """The last day each incident covers: its end date, or the end of the month (or year) it is known to."""
    last = frame["date"].copy()
    for precision, period in (("month", "M"), ("year", "Y")):
        coarse = frame["date_precision"] == precision
        last[coarse] = frame.loc[coarse, "date"].dt.to_period(period).dt.end_time.dt.normalize()
    return frame["end_date"].fillna(last).astype("datetime64[ns]")


def date_labels(frame: pd.DataFrame) -> pd.Series:
    """'3 Jun 2023', 'June 2023' or '2023' as the record's date precision allows."""
    labels = pd.Series("", index=frame.index, dtype=object)
    for precision, pattern in DATE_FORMATS.items():
        chosen = frame["date_precision"] == precision
        labels[chosen] = format_dates(frame.loc[chosen, "date"], pattern)
    return labels


def search_texts(frame: pd.DataFrame, gazetteer: Gazetteer) -> pd.Series:
    """Folded text per incident that a free-text search matches: its own words, its place in every language,
    its municipality's names and the gazetteer's variants of the place's name."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=str)
    own = fold_series(frame["title"] + " " + frame["description"] + " " + frame["actors"] + " " + frame["id"])
    places = [fold_series(frame[c].fillna("")) for c in ("place", "place_sq", "place_sr")]
    variants = [p.map(gazetteer.variants).fillna("") for p in places]
    municipality = frame["municipality"].map(gazetteer.municipality_names).fillna("")
    text = own + " | " + municipality
    for column in (*places, *variants):
        text = text + " | " + column
    return text


def prepare(frame: pd.DataFrame, gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """The one place the prepared columns are made, by column, for the dataset's incidents and for uploads."""
    from cyrtranslit import to_cyrillic  # only place names need Cyrillic, and only once

    out = frame.copy()
    for column in COLUMNS:
        if column not in out:
            out[column] = [[] for _ in range(len(out))] if column in ("casualty_sources", "related_ids") else None
    out["date"] = pd.to_datetime(out["date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    for column in ("fatalities", "fatalities_low", "fatalities_high", "injuries", "injuries_low", "injuries_high"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    for column in ("description", "place_sq", "place_sr", "actors", "location_source"):
        out[column] = out[column].fillna("").astype(str)
    out["last_date"] = last_dates(out)
    out["date_label"] = date_labels(out)
    unique_places = out["place_sr"].unique()
    cyrillic = {p: to_cyrillic(p, "sr") if p else "" for p in unique_places}
    out["place_sr_cyrl"] = out["place_sr"].map(cyrillic)
    out["casualties"] = casualties_labels(out)
    out["search_text"] = search_texts(out, gazetteer)
    if not isinstance(out, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["longitude"], out["latitude"]), crs="EPSG:4326")
    return out


def empty_frame(gazetteer: Gazetteer | None = None) -> gpd.GeoDataFrame:
    """An incident layer with no rows but every column (what a failed load or upload shows)."""
    frame = gpd.GeoDataFrame({c: [] for c in IncidentRow.model_fields}, geometry=[], crs="EPSG:4326")
    return prepare(frame, gazetteer or Gazetteer())


LAYER = LayerSpec(
    name="incidents",
    label="Incidents",
    file=FILE,
    model=IncidentRow,
    drawer="incidents",
    dates=("date", "last_date"),  # last_date: prepared from end_date and the date's precision
    source_columns=("sources", "casualty_sources"),
    attribution="Places: © OpenStreetMap contributors (ODbL), GeoNames (CC BY 4.0)",
)
