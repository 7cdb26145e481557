"""Tolerant reading of the input files: bytes to text (BOM, Latin-1), JSON documents and CSV rows.

Nothing here raises on bad data: a file that cannot be read at all becomes one problem.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from src.problems import Problem

CSV_DELIMITERS = ",;\t"
MAX_CSV_ERRORS = 1000  # rows the CSV reader itself cannot parse before it stops
Rows = list[tuple[int, dict[str, str]]]


# Byte-order marks, longest first (UTF-32 LE's starts with UTF-16 LE's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The single-byte encodings a file from this region is likely to be in: Western (English, Albanian), Central
# European (Serbian and Albanian Latin) and Cyrillic (Serbian).
LEGACY_ENCODINGS = ("cp1252", "cp1250", "iso8859_2", "cp1251", "iso8859_5")
DETECTION_SAMPLE = 256 * 1024  # bytes charset-normalizer looks at to name an encoding that is not UTF-8


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes: UTF-8, or UTF-16/UTF-32 with a byte-order mark, read silently; UTF-16 without
    one and any other encoding (named by charset-normalizer, e.g. Windows-1250) are read with a problem naming
    the encoding. None with a problem when the file is empty."""
    for bom, codec, label in BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            if "\ufffd" in text:
                return _empty_or(name, text, [Problem(name, None, "encoding", f"{label} with unreadable bytes")])
            return _empty_or(name, text, [])
    if not raw.strip():
        return None, [Problem(name, None, "", "file is empty")]
    sample = raw[:DETECTION_SAMPLE]
    if sample.count(0) > len(sample) // 4:  # UTF-16 without a byte-order mark (NULs are valid UTF-8)
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        reason = f"UTF-16 ({codec[-2:].upper()}) without a byte-order mark; read as such"
        return _empty_or(name, raw.decode(codec, errors="replace"), [Problem(name, None, "encoding", reason)])
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as err:
        first_bad = err.start
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)).best()
    codec = best.encoding if best is not None else "cp1252"
    label = codecs.lookup(codec).name.replace("cp", "Windows-").replace("iso8859", "ISO-8859")
    reason = f"not UTF-8 (byte {first_bad}); read as {label}, check accents"
    return raw.decode(codec, errors="replace"), [Problem(name, None, "encoding", reason)]


def _empty_or(name: str, text: str, problems: list[Problem]) -> tuple[str | None, list[Problem]]:
    if not text.strip():
        return None, [*problems, Problem(name, None, "", "file is empty")]
    return text, problems


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
    first_line = re.match(r"[^\r\n]*", text).group()  # type: ignore[union-attr]  # always matches
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    try:
        names = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error:  # a header over the CSV field limit: no columns, which the caller names as missing
        names = []
    return [h.strip() for h in names], delimiter


def parse_csv(name: str, text: str, required: Iterable[str]) -> tuple[Rows, list[Problem]]:
    """Rows of CSV text; every required column must be in the header."""
    header, delimiter = csv_header(text)
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(header) or "nothing"
        return [], [Problem(name, 1, column, f"required column missing (header has: {found})") for column in missing]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        next(reader, None)  # the header, read above
    except csv.Error:
        return [], [Problem(name, 1, "header", "the header line cannot be read as CSV")]
    width = len(header)
    rows, problems = [], []
    errors = 0
    while True:
        starts_on = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:  # a field over the reader's limit, a NUL byte: that row is named and skipped
            errors += 1
            if "field larger than field limit" in str(err):
                reason = f"a field is longer than {csv.field_size_limit():,} characters (the CSV limit); row skipped"
            else:
                reason = f"row cannot be parsed ({err}); row skipped"
            problems.append(Problem(name, starts_on, "", reason))
            if errors >= MAX_CSV_ERRORS:
                problems.append(Problem(name, reader.line_num, "", f"{errors} unreadable rows; not read further"))
                break
            continue
        if len(values) > width:
            problems.append(Problem(name, reader.line_num, "", "more values than columns; row skipped"))
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) < width:
            values += [""] * (width - len(values))
        rows.append((reader.line_num, dict(zip(header, values, strict=True))))
    return rows, problems
