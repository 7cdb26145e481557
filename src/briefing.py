"""Briefings: prepared sequences of map views (geodata/briefings/*.json) that a briefer steps through.

A briefing file is JSON: {"title", "subtitle", "slides": [{"title", "notes", "center": [lat, lon], "zoom",
"layers", "start", "end", "categories", "highlight": [incident ids], "sources": [source ids]}]}.
A file that cannot be used gives problems naming the file, the slide and the field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from src.layers import BY_NAME
from src.layers.base import Problem, read_json
from src.layers.incidents import CATEGORIES
from src.view import CENTER_BOUNDS, DEFAULT_LAYERS, ZOOM_RANGE, View

BRIEFINGS_DIR = "briefings"


class Slide(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=120)
    notes: str = ""
    center: tuple[float, float]
    zoom: int = Field(ge=ZOOM_RANGE[0], le=ZOOM_RANGE[1])
    layers: tuple[str, ...] = DEFAULT_LAYERS
    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    highlight: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @field_validator("center")
    @classmethod
    def _near_kosovo(cls, center: tuple[float, float]) -> tuple[float, float]:
        (south, west), (north, east) = CENTER_BOUNDS
        if not (south <= center[0] <= north and west <= center[1] <= east):
            raise ValueError(f"centre {list(center)} is not near Kosovo (give [latitude, longitude])")
        return center

    @field_validator("layers")
    @classmethod
    def _known_layers(cls, layers: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in layers if name not in BY_NAME]
        if unknown:
            raise ValueError(f"unknown layer(s) {unknown}; use {list(BY_NAME)}")
        return layers

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, categories: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown categor(y/ies) {unknown}")
        return categories

    @model_validator(mode="after")
    def _range_in_order(self) -> Slide:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def view(self, language: str = "en") -> View:
        return View(
            language=language,
            layers=self.layers,
            start=self.start,
            end=self.end,
            categories=self.categories,
            center=self.center,
            zoom=self.zoom,
        )


class Briefing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    subtitle: str = ""
    slides: list[Slide] = Field(min_length=1)


def _where(location: tuple[Any, ...]) -> tuple[str, str]:
    """'slide 3', 'zoom' from pydantic's location ('slides', 2, 'zoom')."""
    if len(location) >= 2 and location[0] == "slides" and isinstance(location[1], int):
        return f"slide {location[1] + 1}", ".".join(str(part) for part in location[2:])
    return "", ".".join(str(part) for part in location) or "file"


def load_briefing(
    path: Path, known_incidents: set[str], known_sources: set[str]
) -> tuple[Briefing | None, list[Problem]]:
    """A briefing and the problems with it; None when it cannot be shown at all."""
    name = path.name
    document, problems = read_json(path)
    if document is None:
        return None, problems
    try:
        briefing = Briefing.model_validate(document)
    except ValidationError as err:
        for item in err.errors(include_url=False):
            slide, field = _where(tuple(item["loc"]))
            problems.append(Problem(name, None, f"{slide} {field}".strip(), item["msg"]))
        return None, problems
    for number, slide in enumerate(briefing.slides, start=1):
        problems += [
            Problem(name, None, f"slide {number} highlight", f"no incident with id {i!r}")
            for i in slide.highlight
            if i not in known_incidents
        ]
        problems += [
            Problem(name, None, f"slide {number} sources", f"no source with id {s!r}")
            for s in slide.sources
            if s not in known_sources
        ]
    return briefing, problems


def briefing_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / BRIEFINGS_DIR).glob("*.json"))


def slide_entry(view: View, title: str) -> dict[str, Any]:
    """The current view as a slide to paste into a briefing file ("save this view")."""
    entry: dict[str, Any] = {
        "title": title,
        "notes": "",
        "center": list(view.center),
        "zoom": view.zoom,
        "layers": list(view.layers),
        "start": view.start.isoformat() if view.start else None,
        "end": view.end.isoformat() if view.end else None,
        "categories": list(view.categories),
        "highlight": [],
        "sources": [],
    }
    Slide.model_validate(entry)
    return entry
