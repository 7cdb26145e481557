"""Everything the pages show, loaded and joined once: the layers, the sources and the incident search text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from src import profiles as municipality_profiles
from src import sources as source_table
from src.layers import LAYERS
from src.layers.base import LayerData, Problem
from src.profiles import Profiles
from src.text import fold

ATTRIBUTION_FILE = "attribution.json"


@dataclass
class Dataset:
    layers: dict[str, LayerData]
    sources: dict[str, dict[str, Any]]
    attributions: list[str]
    short_attributions: list[str]
    profiles: Profiles | None = None
    problems: list[Problem] = field(default_factory=list)

    def frame(self, name: str) -> gpd.GeoDataFrame:
        return self.layers[name].frame

    @property
    def incidents(self) -> gpd.GeoDataFrame:
        return self.frame("incidents")

    def municipality_ids(self) -> set[str]:
        return set(self.frame("municipalities")["id"])


def load_dataset(data_dir: Path) -> Dataset:
    """Loads every layer from `data_dir`; problems are collected, never raised."""
    layers = {layer.NAME: layer.load(data_dir) for layer in LAYERS}
    loaded_sources = source_table.load(data_dir)
    sources = {row["id"]: row for row in loaded_sources.frame.to_dict("records")}
    problems = [p for layer in layers.values() for p in layer.problems] + loaded_sources.problems
    for name in ("crossings", "police_bases", "incidents"):
        frame = layers[name].frame
        if len(frame):
            cited = frame.set_index("id")["sources"]
            problems += source_table.unresolved(f"{name}.csv", cited, set(sources))
    attributions, short_attributions, attribution_problems = _attributions(data_dir)
    profiles, profile_problems = municipality_profiles.load(data_dir)
    problems += attribution_problems + profile_problems
    if profiles is not None:
        problems += [
            Problem(municipality_profiles.FILE, None, "source_id", f"unknown source {source_id!r}")
            for source_id in sorted(profiles.source_ids() - set(sources))
        ]
    incidents = layers["incidents"]
    incidents.frame = incidents.frame.assign(
        search_text=search_texts(incidents.frame, layers["municipalities"].frame, layers["settlements"].frame)
    )
    return Dataset(layers, sources, attributions, short_attributions, profiles, problems)


def _attributions(data_dir: Path) -> tuple[list[str], list[str], list[Problem]]:
    """Full attribution texts (shown under the map) and short ones (on the map itself)."""
    try:
        entries = json.loads((data_dir / ATTRIBUTION_FILE).read_text(encoding="utf-8")).values()
        return [str(e["text"]) for e in entries], [str(e.get("short") or e["text"]) for e in entries], []
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        return [], [], [Problem(ATTRIBUTION_FILE, None, "", f"attributions cannot be read: {err}")]


def search_texts(incidents: pd.DataFrame, municipalities: pd.DataFrame, settlements: pd.DataFrame) -> pd.Series:
    """Folded text per incident that a free-text search matches: title, description, actors, the place in
    every language, its municipality's names and the gazetteer's variants of the place's name."""
    if incidents.empty:
        return pd.Series([], index=incidents.index, dtype=str)
    muni_names = {
        row["id"]: " ".join(str(row[c]) for c in ("name_en", "name_sq", "name_sr", "name_sr_cyrl"))
        for row in municipalities.to_dict("records")
    }
    variants: dict[str, set[str]] = {}
    for names in settlements.get("names", pd.Series(dtype=str)):
        folded = {fold(n) for n in str(names).split("|") if n}
        for name in folded:
            variants.setdefault(name, set()).update(folded)
    texts = []
    for row in incidents.to_dict("records"):
        places = {fold(str(row.get(c) or "")) for c in ("place", "place_sq", "place_sr")} - {""}
        extra = set().union(*(variants.get(p, set()) for p in places)) if places else set()
        parts = [row["title"], row["description"], row["actors"], muni_names.get(row["municipality"], ""), row["id"]]
        texts.append(" | ".join([fold(" ".join(str(p) for p in parts)), *sorted(places | extra)]))
    return pd.Series(texts, index=incidents.index)
