"""Tolerant reading of the input files: bytes to text (BOM, Latin-1), JSON documents and CSV rows.

Nothing here raises on bad data: a file that cannot be read at all becomes one problem.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from src.problems import Problem

CSV_DELIMITERS = ",;\t"
Rows = list[tuple[int, dict[str, str]]]


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes, tolerant of a BOM and of Latin-1 bytes; None with a problem when empty."""
    if not raw.strip():
        return None, [Problem(name, None, "", "file is empty")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 (byte {err.start}); read as Windows-1252/Latin-1, check accents"
        return raw.decode("cp1252", errors="replace"), [Problem(name, None, "encoding", reason)]


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (see `decode`); None with a problem when it is missing, unreadable or empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(path.name, None, "", f"file not found in {path.parent}")]
    except OSError as err:
        return None, [Problem(path.name, None, "", f"cannot be read: {err.strerror}")]
    return decode(path.name, raw)


def read_json(path: Path) -> tuple[Any, list[Problem]]:
    """A JSON file's document, or None with the problem that makes it unusable (missing, empty, not JSON)."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    try:
        return json.loads(text), problems
    except json.JSONDecodeError as err:
        where = f"at line {err.lineno}, column {err.colno}"
        return None, [*problems, Problem(path.name, None, "", f"not valid JSON: {err.msg} {where}")]


def read_csv_rows(path: Path, required: Iterable[str]) -> tuple[Rows, list[Problem]]:
    """Rows of a CSV file as (line number, {column: text}); comma, semicolon or tab separated."""
    text, problems = read_text(path)
    if text is None:
        return [], problems
    rows, more = parse_csv(path.name, text, required)
    return rows, problems + more


def csv_header(text: str) -> tuple[list[str], str]:
    """The header's column names and the delimiter (comma, semicolon or tab, whichever the header uses most)."""
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    return [h.strip() for h in next(csv.reader([first_line], delimiter=delimiter), [])], delimiter


def parse_csv(name: str, text: str, required: Iterable[str]) -> tuple[Rows, list[Problem]]:
    """Rows of CSV text; every required column must be in the header."""
    header, delimiter = csv_header(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        return [], [Problem(name, 1, column, f"required column missing (header has: {found})") for column in missing]
    rows, problems = [], []
    try:
        for record in reader:
            if None in record:
                problems.append(Problem(name, reader.line_num, "", "more values than columns; row skipped"))
                continue
            if not any((value or "").strip() for value in record.values()):
                continue
            rows.append((reader.line_num, {k: (v or "") for k, v in record.items()}))
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "", f"CSV cannot be parsed further: {err}"))
    return rows, problems
