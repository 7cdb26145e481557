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


MAX_JSON_BYTES = 50 * 1024 * 1024  # any JSON input file; briefings have their own, smaller limit
MAX_JSON_DEPTH = 64  # deeper nesting is refused before it could exhaust Python's recursion limit


def read_text(path: Path, max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text (see `decode`); None with a problem when it is missing, unreadable, too large or empty."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
            return None, [Problem(path.name, None, "", f"file is {size}, over the {_size(max_bytes)} limit; not read")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(path.name, None, "", f"file not found in {path.parent}")]
    except OSError as err:
        return None, [Problem(path.name, None, "", f"cannot be read: {err.strerror}")]
    return decode(path.name, raw)


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB"


def _json_depth(text: str) -> int:
    """How deeply the document's arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read_json(path: Path, max_bytes: int = MAX_JSON_BYTES) -> tuple[Any, list[Problem]]:
    """A JSON file's document, or None with the problem that makes it unusable (missing, empty, too large,
    nested too deeply, not JSON)."""
    text, problems = read_text(path, max_bytes)
    if text is None:
        return None, problems
    if _json_depth(text) > MAX_JSON_DEPTH:
        reason = f"nested more than {MAX_JSON_DEPTH} levels deep; not read"
        return None, [*problems, Problem(path.name, None, "", reason)]
    try:
        return json.loads(text), problems
    except json.JSONDecodeError as err:
        where = f"at line {err.lineno}, column {err.colno}"
        return None, [*problems, Problem(path.name, None, "", f"not valid JSON: {err.msg} {where}")]
    except RecursionError:
        return None, [*problems, Problem(path.name, None, "", "nested too deeply to read")]


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
