"""Everything the pages show, loaded and joined once: the registered layers, the sources, the profiles."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from src import crossing_status
from src import profiles as municipality_profiles
from src import sources as source_table
from src.layers import LAYERS
from src.layers import incidents as incident_layer
from src.loading import LayerData
from src.problems import Problem
from src.profiles import Profiles

ATTRIBUTION_FILE = "attribution.json"
_SERIALS = itertools.count()


@dataclass
class Dataset:
    layers: dict[str, LayerData]
    sources: dict[str, dict[str, Any]]
    attributions: list[str]
    short_attributions: list[str]
    gazetteer: incident_layer.Gazetteer = field(default_factory=incident_layer.Gazetteer)
    profiles: Profiles | None = None
    problems: list[Problem] = field(default_factory=list)
    # The crossings' dated status history (crossing_status.csv), newest first per crossing.
    crossing_status: pd.DataFrame = field(default_factory=crossing_status.empty_frame)
    # Unique per loaded dataset, unlike id(), which a newer load (a store refresh) may reuse: shared caches
    # of what was drawn from a dataset key on it.
    serial: int = field(default_factory=lambda: next(_SERIALS), compare=False, repr=False)

    def frame(self, name: str) -> gpd.GeoDataFrame:
        return self.layers[name].frame

    @property
    def incidents(self) -> gpd.GeoDataFrame:
        return self.frame(incident_layer.LAYER.name)

    def municipality_ids(self) -> set[str]:
        return set(self.frame("municipalities")["id"])


def load_dataset(data_dir: Path) -> Dataset:
    """Loads every registered layer from `data_dir`; problems are collected, never raised."""
    layers = {layer.name: layer.load(data_dir) for layer in LAYERS}
    loaded_sources = source_table.load(data_dir)
    sources = {row["id"]: row for row in loaded_sources.frame.to_dict("records")}
    problems = [p for layer in layers.values() for p in layer.problems] + loaded_sources.problems
    for layer in LAYERS:
        frame = layers[layer.name].frame
        for column in layer.source_columns:
            if len(frame) and column in frame:
                problems += source_table.unresolved(layer.file, frame.set_index("id")[column], sources)
    history, history_problems = crossing_status.load(data_dir)
    crossings = layers["crossings"]
    problems += history_problems + crossing_status.check(history, crossings.frame["id"], sources)
    crossings.frame["status_history"] = crossing_status.histories(history, crossings.frame["id"])
    attributions, short_attributions, attribution_problems = _attributions(data_dir)
    layer_attributions = [layer.attribution for layer in LAYERS if layer.attribution]
    attributions += layer_attributions
    short_attributions += layer_attributions
    profiles, profile_problems = municipality_profiles.load(data_dir)
    problems += attribution_problems + profile_problems
    if profiles is not None:
        problems += [
            Problem(municipality_profiles.FILE, None, "source_id", f"unknown source {source_id!r}")
            for source_id in sorted(profiles.source_ids() - set(sources))
        ]
    gazetteer = incident_layer.Gazetteer.of(layers["municipalities"].frame, layers["settlements"].frame)
    incidents = layers[incident_layer.LAYER.name]
    incidents.frame = incident_layer.prepare(incidents.frame, gazetteer)
    return Dataset(layers, sources, attributions, short_attributions, gazetteer, profiles, problems, history)


def _attributions(data_dir: Path) -> tuple[list[str], list[str], list[Problem]]:
    """Full attribution texts (shown under the map) and short ones (on the map itself)."""
    try:
        entries = json.loads((data_dir / ATTRIBUTION_FILE).read_text(encoding="utf-8")).values()
        return [str(e["text"]) for e in entries], [str(e.get("short") or e["text"]) for e in entries], []
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        return [], [], [Problem(ATTRIBUTION_FILE, None, "", f"attributions cannot be read: {err}")]
