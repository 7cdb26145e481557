"""The table of sources that the layers cite by id (geodata/sources.csv), and how a source is cited."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from src.loading import LayerData
from src.problems import Problem
from src.reading import read_csv_rows
from src.validation import RequiredText, Row, Slug, Text, drop_duplicate_ids, validate_rows

FILE = "sources.csv"
COLUMNS = ("id", "publisher", "title", "date", "url", "language")


class SourceRow(Row):
    id: Slug
    publisher: RequiredText
    title: RequiredText
    date: Text = Field(default="", pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")
    url: Text = Field(default="", pattern=r"^(https?://\S+)?$")
    language: Text = ""


def load(data_dir: Path) -> LayerData:
    raw, problems = read_csv_rows(data_dir / FILE, ["id", "publisher", "title"])
    rows, bad = validate_rows(FILE, raw, SourceRow)
    rows, duplicates = drop_duplicate_ids(FILE, rows)
    frame = pd.DataFrame([row.model_dump() for _, row in rows], columns=list(COLUMNS))
    return LayerData("sources", frame, problems + bad + duplicates)  # type: ignore[arg-type]


def unresolved(file: str, cited: pd.Series, known: set[str] | Mapping[str, Any]) -> list[Problem]:
    """A problem for every cited source id that the sources table does not hold."""
    return [
        Problem(file, None, "sources", f"record {record_id!r} cites unknown source {source_id!r}")
        for record_id, ids in cited.items()
        for source_id in ids
        if source_id not in known
    ]


def citation(sources: Mapping[str, Mapping[str, Any]], source_id: str) -> str:
    """'Publisher, title, date' of a cited source (plain text); the bare id when the table does not hold it."""
    source = sources.get(source_id) or {}
    return ", ".join(str(source[k]) for k in ("publisher", "title", "date") if source.get(k)) or source_id
