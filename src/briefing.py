"""Briefings: prepared sequences of map views (geodata/briefings/*.json) that a briefer steps through.

A briefing file is JSON: {"title", "subtitle", "slides": [{"title", "notes", "center": [lat, lon], "zoom",
"layers", "start", "end", "categories", "highlight": [incident ids], "sources": [source ids]}]}.
A file that cannot be used gives problems naming the file, the slide and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from src.problems import Problem
from src.reading import read_json
from src.view import SLIDE_KEYS, FieldError, View, from_slide, to_slide

BRIEFINGS_DIR = "briefings"
MAX_BRIEFING_BYTES = 2 * 1024 * 1024  # a briefing is a few slides of text; anything larger is refused


class Slide(BaseModel):
    """A slide: its words, what it rings and cites, and the view it shows (read with the view's own codec)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    title: str = Field(min_length=1, max_length=120)
    notes: str = ""
    highlight: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    view: View

    @model_validator(mode="before")
    @classmethod
    def _read_view(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        rest = {k: v for k, v in data.items() if k not in SLIDE_KEYS}
        if "center" not in data or "zoom" not in data:
            raise FieldError("center" if "center" not in data else "zoom", "Field required")
        rest["view"] = from_slide({k: v for k, v in data.items() if k in SLIDE_KEYS})
        return rest

    def entry(self) -> dict[str, Any]:
        """The slide as it stands in a briefing file (notes, highlights and sources kept)."""
        return {
            "title": self.title,
            "notes": self.notes,
            **to_slide(self.view),
            "highlight": list(self.highlight),
            "sources": list(self.sources),
        }


class Briefing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    subtitle: str = ""
    slides: list[Slide] = Field(min_length=1)

    def document(self) -> dict[str, Any]:
        """The briefing as a file holds it (the format of geodata/briefings/), every slide complete."""
        return {"title": self.title, "subtitle": self.subtitle, "slides": [slide.entry() for slide in self.slides]}


class _Cover(BaseModel):
    """A briefing file's own fields, checked apart from its slides so that every problem is found."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    subtitle: str = ""
    slides: list[Any] = Field(min_length=1)


class _Words(BaseModel):
    """A slide's fields other than its view."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    notes: str = ""
    highlight: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _where(item: Mapping[str, Any]) -> tuple[str, str, str]:
    """'slide 3', 'zoom' and the reason from one of pydantic's errors (a view field's error names itself)."""
    location, reason = tuple(item["loc"]), str(item["msg"])
    error = (item.get("ctx") or {}).get("error")
    field_name = ".".join(str(part) for part in location[2:])
    if isinstance(error, FieldError):
        field_name, reason = error.key, error.message
    if len(location) >= 2 and location[0] == "slides" and isinstance(location[1], int):
        return f"slide {location[1] + 1}", field_name, reason
    return "", ".".join(str(part) for part in location) or "file", reason


def _errors(model: type[BaseModel], data: Any) -> list[tuple[str, str]]:
    try:
        model.model_validate(data)
    except ValidationError as err:
        return [
            (".".join(str(part) for part in item["loc"]) or "file", str(item["msg"]))
            for item in err.errors(include_url=False)
        ]
    return []


def _slide_problems(entry: Any) -> list[tuple[str, str]]:
    """Every problem with one slide, each naming its field: the words, then each view field on its own."""
    if not isinstance(entry, dict):
        return [("", "a slide must be an object with a title, centre and zoom")]
    problems = _errors(_Words, {k: v for k, v in entry.items() if k not in SLIDE_KEYS})
    problems += [(key, "Field required") for key in ("center", "zoom") if key not in entry]
    for key in SLIDE_KEYS:
        if key in entry:
            try:
                from_slide({key: entry[key]})
            except FieldError as err:
                problems.append((err.key, err.message))
    if not problems:
        try:
            from_slide({k: v for k, v in entry.items() if k in SLIDE_KEYS})
        except FieldError as err:  # what only shows with the fields together (an end before the start)
            problems.append((err.key, err.message))
    return problems


def read_briefing(
    document: Any, name: str, known_incidents: set[str], known_sources: set[str]
) -> tuple[Briefing | None, list[Problem]]:
    """A briefing from a file's parsed JSON, and every problem with it, each named by slide and field; None
    when it cannot be shown at all. Unknown highlights and sources are problems, but the briefing shows
    (and keeps them)."""
    if not isinstance(document, dict):
        return None, [Problem(name, None, "", "a briefing file must be a JSON object with a title and slides")]
    problems = [Problem(name, None, field_name, reason) for field_name, reason in _errors(_Cover, document)]
    slides = document.get("slides")
    for number, entry in enumerate(slides if isinstance(slides, list) else [], start=1):
        problems += [
            Problem(name, None, f"slide {number} {field_name}".strip(), reason)
            for field_name, reason in _slide_problems(entry)
        ]
    if problems:
        return None, problems
    try:
        briefing = Briefing.model_validate(document)
    except ValidationError as err:  # not expected after the checks above; named all the same
        for item in err.errors(include_url=False):
            slide, field_name, reason = _where(item)
            problems.append(Problem(name, None, f"{slide} {field_name}".strip(), reason))
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


def load_briefing(
    path: Path, known_incidents: set[str], known_sources: set[str]
) -> tuple[Briefing | None, list[Problem]]:
    """A briefing file and the problems with it; None when it cannot be shown at all."""
    document, problems = read_json(path, MAX_BRIEFING_BYTES)
    if document is None:
        return None, problems
    briefing, more = read_briefing(document, path.name, known_incidents, known_sources)
    return briefing, problems + more


def parse_briefing(
    raw: bytes, name: str, known_incidents: set[str], known_sources: set[str]
) -> tuple[Briefing | None, list[Problem]]:
    """A briefing from an uploaded file's bytes (the same checks as a file in geodata/briefings/)."""
    if len(raw) > MAX_BRIEFING_BYTES:
        return None, [Problem(name, None, "", f"larger than {MAX_BRIEFING_BYTES // 1_000_000} MB")]
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(name, None, "", "not a text file in UTF-8")]
    except json.JSONDecodeError as err:
        return None, [Problem(name, None, "", f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}")]
    return read_briefing(document, name, known_incidents, known_sources)


def briefing_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / BRIEFINGS_DIR).glob("*.json"))


def slide_entry(
    view: View, title: str, notes: str = "", highlight: tuple[str, ...] = (), sources: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A view as a slide entry of a briefing file ("save this view", "add this view as a slide")."""
    return Slide(title=title, notes=notes, highlight=highlight, sources=sources, **to_slide(view)).entry()  # type: ignore[arg-type]
