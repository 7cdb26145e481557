"""The table of sources that crossings, bases and incidents cite by id (geodata/sources.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import Field

from src.layers.base import (
    LayerData,
    Problem,
    RequiredText,
    Row,
    Slug,
    Text,
    drop_duplicate_ids,
    read_csv_rows,
    validate_rows,
)

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
    return LayerData("sources", frame, problems + bad + duplicates)


def unresolved(file: str, cited: pd.Series, known: set[str]) -> list[Problem]:
    """A problem for every cited source id that the sources table does not hold."""
    return [
        Problem(file, None, "sources", f"record {record_id!r} cites unknown source {source_id!r}")
        for record_id, ids in cited.items()
        for source_id in ids
        if source_id not in known
    ]
