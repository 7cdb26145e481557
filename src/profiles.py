"""Sourced profiles of the four northern municipalities (geodata/municipality_profiles.json).

Population figures disagree and none is a full count (the 2011 census was not held in the north and the
2024 one was largely boycotted there), so a profile lists every sourced figure with its kind and a note,
rather than one number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from src.problems import Problem
from src.reading import read_json
from src.validation import validation_problems

FILE = "municipality_profiles.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Figure(_Model):
    value: int = Field(ge=0)
    year: int | None = Field(default=None, ge=1900, le=2100)
    kind: Literal["census", "estimate", "registered", "other"]
    note: str = ""
    source_id: str
    note_sources: list[str] = []


class Share(_Model):
    group: str
    share_percent: float | None = Field(default=None, ge=0, le=100)
    value: int | None = Field(default=None, ge=0)
    year: int | None = Field(default=None, ge=1900, le=2100)
    note: str = ""
    source_id: str
    note_sources: list[str] = []


class Seat(_Model):
    en: str
    sq: str
    sr: str


class Profile(_Model):
    seat: Seat
    population: list[Figure]
    ethnic_composition: list[Share] = []
    overview: str = Field(min_length=40)
    overview_sources: list[str] = Field(min_length=1)

    def source_ids(self) -> set[str]:
        items = [*self.population, *self.ethnic_composition]
        cited = {i.source_id for i in items}.union(*(i.note_sources for i in items))
        return cited | set(self.overview_sources)


class Region(_Model):
    population: list[Figure]


class Profiles(_Model):
    region: Region
    municipalities: dict[str, Profile]

    def source_ids(self) -> set[str]:
        region = {f.source_id for f in self.region.population}.union(*(f.note_sources for f in self.region.population))
        return region.union(*(p.source_ids() for p in self.municipalities.values()))


def load(data_dir: Path) -> tuple[Profiles | None, list[Problem]]:
    """The profiles, or None with the problems that made them unreadable."""
    document, problems = read_json(data_dir / FILE)
    if document is None:
        return None, problems
    try:
        return Profiles.model_validate(document), problems
    except ValidationError as err:
        return None, problems + validation_problems(FILE, 0, err)
