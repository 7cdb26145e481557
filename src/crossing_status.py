"""The dated status history of the crossings (geodata/crossing_status.csv): closures, restrictions, reopenings.

Rows may overlap (a goods ban runs beside a later closure). A blank end_date means the end is not known or
the status still holds; the row's description says which. Each row cites its sources, checked like a layer's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import model_validator

from src.problems import Problem
from src.reading import read_csv_rows
from src.validation import NonEmptyIdList, OptionalDate, RequiredText, Row, Slug, required_columns, validate_rows
from src.vocabulary import DATE_FORMATS

FILE = "crossing_status.csv"
COLUMNS = ("crossing_id", "start_date", "end_date", "status", "description", "sources")
STATUSES = {"open": "open", "closed": "closed", "restricted": "restricted"}


class CrossingStatusRow(Row):
    crossing_id: Slug
    start_date: dt.date
    end_date: OptionalDate = None
    status: Literal["open", "closed", "restricted"]
    description: RequiredText
    sources: NonEmptyIdList

    @model_validator(mode="after")
    def _ends_after_start(self) -> CrossingStatusRow:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in ("row", *COLUMNS)})


def load(data_dir: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The valid rows, newest first per crossing, with their CSV line in `row`; a problem for every other row."""
    raw, problems = read_csv_rows(data_dir / FILE, required_columns(CrossingStatusRow))
    rows, bad = validate_rows(FILE, raw, CrossingStatusRow)
    if not rows:
        return empty_frame(), problems + bad
    frame = pd.DataFrame([{"row": line, **row.model_dump()} for line, row in rows])
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame = frame.sort_values(["crossing_id", "start_date", "end_date"], ascending=[True, False, False])
    return frame.reset_index(drop=True), problems + bad


def check(frame: pd.DataFrame, crossing_ids: Iterable[str], sources: Mapping[str, Any]) -> list[Problem]:
    """A problem for every row naming a crossing that crossings.csv lacks or citing an unknown source."""
    known = set(crossing_ids)
    problems = []
    for record in frame.to_dict("records"):
        if record["crossing_id"] not in known:
            problems.append(Problem(FILE, record["row"], "crossing_id", f"unknown crossing {record['crossing_id']!r}"))
        problems += [
            Problem(FILE, record["row"], "sources", f"unknown source {source_id!r}")
            for source_id in record["sources"]
            if source_id not in sources
        ]
    return problems


def _day(value: Any) -> str:
    return value.strftime(DATE_FORMATS["day"])


def history_line(record: Mapping[str, Any]) -> str:
    """'since 14 Jun 2023: restricted — …' or '10 Dec 2022 – 30 Dec 2022: closed — …' (plain text)."""
    end = record.get("end_date")
    if end is None or pd.isna(end):
        when = f"since {_day(record['start_date'])}"
    elif end == record["start_date"]:
        when = _day(record["start_date"])
    else:
        when = f"{_day(record['start_date'])} – {_day(end)}"
    return f"{when}: {STATUSES[record['status']]} — {record['description']}"


def histories(frame: pd.DataFrame, crossing_ids: Iterable[str]) -> list[tuple[str, ...]]:
    """Each crossing's history lines, newest first, in the order of `crossing_ids` (empty when none)."""
    lines: dict[str, list[str]] = {}
    for record in frame.to_dict("records"):
        lines.setdefault(record["crossing_id"], []).append(history_line(record))
    return [tuple(lines.get(crossing_id, [])) for crossing_id in crossing_ids]
