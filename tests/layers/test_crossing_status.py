"""The crossings' status history: validated row by row, its sources and crossings checked, shown in the popup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src import crossing_status
from src.dataset import load_dataset
from src.drawing.markers import record_popup
from src.layers import crossings
from src.layers.spec import DrawContext
from tests.conftest import csv_text
from tests.layers.test_popup_injection import HOSTILE

GOOD = {
    "crossing_id": "jarinje",
    "start_date": "2023-06-14",
    "end_date": "",
    "status": "restricted",
    "description": "Goods from Serbia banned.",
    "sources": "icg-20240402-northern-kosovo",
}


def write(data_dir: Path, rows: list[dict[str, str]]) -> None:
    (data_dir / crossing_status.FILE).write_text(csv_text(rows), encoding="utf-8")


def test_good_rows_load_newest_first(data_dir: Path) -> None:
    older = {**GOOD, "start_date": "2022-12-10", "end_date": "2022-12-30", "status": "closed"}
    write(data_dir, [older, GOOD])
    frame, problems = crossing_status.load(data_dir)
    assert problems == []
    assert list(frame["status"]) == ["restricted", "closed"]


def test_bad_rows_are_named_by_file_row_and_field(data_dir: Path) -> None:
    write(data_dir, [GOOD, {**GOOD, "status": "halfopen"}, {**GOOD, "end_date": "2023-01-01"}])
    frame, problems = crossing_status.load(data_dir)
    assert len(frame) == 1
    assert [(p.file, p.row, p.field) for p in problems] == [
        (crossing_status.FILE, 3, "status"),
        (crossing_status.FILE, 4, "row"),
    ]


def test_unknown_source_and_unknown_crossing_are_problems(data_dir: Path) -> None:
    write(data_dir, [GOOD, {**GOOD, "crossing_id": "nowhere", "sources": "no-such-source"}])
    found = [(p.file, p.row, p.field) for p in load_dataset(data_dir).problems]
    assert (crossing_status.FILE, 3, "crossing_id") in found
    assert (crossing_status.FILE, 3, "sources") in found
    assert not any(p[1] == 2 for p in found if p[0] == crossing_status.FILE)


def test_missing_file_is_one_problem_and_no_history(data_dir: Path) -> None:
    (data_dir / crossing_status.FILE).unlink()
    dataset = load_dataset(data_dir)
    assert [p.file for p in dataset.problems] == [crossing_status.FILE]
    assert dataset.crossing_status.empty
    assert dataset.frame("crossings")["status_history"].map(len).max() == 0


def test_history_lines_read_as_dated_statuses() -> None:
    frame = crossing_status.empty_frame()
    record = {**GOOD, "start_date": pd.Timestamp("2023-06-14"), "end_date": None}
    assert crossing_status.history_line(record) == "since 14 Jun 2023: restricted — Goods from Serbia banned."
    closed = {**record, "status": "closed", "end_date": pd.Timestamp("2022-12-30")}
    closed["start_date"] = pd.Timestamp("2022-12-10")
    assert crossing_status.history_line(closed).startswith("10 Dec 2022 – 30 Dec 2022: closed — ")
    assert crossing_status.histories(frame, ["jarinje"]) == [()]


def test_popup_lists_the_history_escaped(data_dir: Path) -> None:
    write(data_dir, [{**GOOD, "description": HOSTILE}])
    dataset = load_dataset(data_dir)
    record = dataset.frame("crossings").set_index("id", drop=False).loc["jarinje"].to_dict()
    html = record_popup(record, DrawContext(sources=dataset.sources), crossings.LAYER.facts(record))
    assert "<li>since 14 Jun 2023: restricted — " in html
    assert "<script>" not in html and "${" not in html
