"""Issue 15, "bounded work per upload" and "right results at once": one size limit, capped problems, early
refusal of a mostly invalid file, named CSV field-limit rows and encodings, the upload shown in the same run."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from src.config import MAX_UPLOAD_MB, PROJECT_DIR
from src.upload import EARLY_ROWS, MAX_PROBLEMS_KEPT
from tests.conftest import GOOD_ROWS, csv_text
from tests.test_upload import upload

HEADER = ",".join(GOOD_ROWS["incidents.csv"]) + "\n"


def _rows(count: int, **changes: str) -> list[dict[str, str]]:
    return [{**GOOD_ROWS["incidents.csv"], "id": f"inc-20230924-r{n}", **changes} for n in range(count)]


def test_upload_size_limit_is_stated_once_and_the_server_allows_its_envelope() -> None:
    config = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB + 1
    source = (PROJECT_DIR / "src" / "ui" / "explorer.py").read_text(encoding="utf-8")
    assert "max_upload_size=MAX_UPLOAD_MB" in source


def test_upload_over_the_size_limit_is_refused_before_parsing_with_a_human_message() -> None:
    result = upload(b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1))
    assert result.frame.empty and "uploads are limited to 10 MB" in result.problems[0].reason


def test_upload_problems_are_capped_and_counted() -> None:
    rows = _rows(EARLY_ROWS) + _rows(3000, date="not a date")
    result = upload(csv_text(rows).encode())
    assert len(result.frame) == EARLY_ROWS
    assert len(result.problems) == MAX_PROBLEMS_KEPT and result.problem_count == 3000
    assert result.problems_left_out == result.problem_count - MAX_PROBLEMS_KEPT


def test_upload_mostly_invalid_file_is_refused_early() -> None:
    raw = (HEADER + "x\n" * 500_000).encode()
    result = upload(raw)
    assert result.frame.empty
    assert f"of the first {EARLY_ROWS} rows are invalid" in result.problems[0].reason
    assert result.problem_count <= EARLY_ROWS * 20


def test_upload_field_over_the_csv_limit_is_a_named_problem_and_later_rows_load() -> None:
    rows = _rows(3)
    rows[1]["description"] = "x" * (csv.field_size_limit() + 10)
    rows[2]["id"] = "inc-20230924-after"
    result = upload(csv_text(rows).encode())
    assert "inc-20230924-after" in set(result.frame["id"])
    assert any("longer than" in p.reason and p.row == 3 for p in result.problems)


def test_upload_utf16_with_bom_is_read_and_other_encodings_are_named() -> None:
    text = csv_text(_rows(1, place="Zvečan", description="Čađavica, Ćićevac, šuma, žena, đak, češće"))
    result = upload(text.encode("utf-16"))
    assert len(result.frame) == 1 and not result.problems
    result = upload(text.encode("cp1250"))
    assert len(result.frame) == 1 and "not UTF-8" in result.problems[0].reason
    assert "read as Windows-1250" in result.problems[0].reason


def test_upload_shows_in_the_same_run_that_loads_it(tmp_path: Path) -> None:
    from src.ui import explorer

    source = (PROJECT_DIR / "pages" / "incidents.py").read_text(encoding="utf-8")
    assert source.index("explorer.upload_form(data)") < source.index("explorer.combined(")
    assert explorer.upload_form
