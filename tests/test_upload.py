"""Bringing your own data: the app's layout and ACLED's are recognised, good rows load, bad rows are named."""

from __future__ import annotations

import csv
import datetime as dt
import io

from src.config import DEFAULT_DATA_DIR, MAX_UPLOAD_BYTES
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.upload import MAX_UPLOAD_MB, acled_category, read_upload
from src.view import View
from tests.conftest import GOOD_ROWS, csv_text

DATA = load_dataset(DEFAULT_DATA_DIR)
ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]


def acled_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACLED_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(raw: bytes, name: str = "mine.csv"):
    return read_upload(name, raw, DEFAULT_DATA_DIR, DATA)


def acled_row(**changes: str) -> list[str]:
    """A plausible ACLED row (a peaceful protest in Zvečan), with some fields changed."""
    row = {
        "event_id_cnty": "XKX0", "event_date": "2023-06-02", "year": "2023", "time_precision": "1",
        "event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": "Protesters (Kosovo)",
        "actor2": "", "admin1": "Mitrovica", "admin2": "Zvecan", "location": "Zvecan", "latitude": "42.9075",
        "longitude": "20.8403", "geo_precision": "1", "source": "N1", "notes": "", "fatalities": "0",
    }  # fmt: skip
    row.update(changes)
    return [row[column] for column in ACLED_HEADER]


def test_acled_layout_loads_good_rows_and_names_bad_ones() -> None:
    raw = acled_file([
        acled_row(event_id_cnty="XKX1", event_date="24 September 2023", event_type="Battles",
                  sub_event_type="Armed clash", actor1="Police Forces of Kosovo", actor2="Unidentified Armed Group",
                  location="Banjska", latitude="42.9733", longitude="20.7808", source="KoSSev; RTS",
                  notes="Gunmen and police exchanged fire.", fatalities="4"),
        acled_row(event_id_cnty="XKX2", event_date="2023-05-29", time_precision="2", event_type="Riots",
                  sub_event_type="Violent demonstration", geo_precision="3", source="Koha"),
        acled_row(event_id_cnty="XKX3", event_date="not a date"),
        acled_row(event_id_cnty="XKX4", location="Belgrade", latitude="44.8125", longitude="20.4612"),
        acled_row(event_id_cnty="XKX5", time_precision="7"),
    ])  # fmt: skip
    result = upload(raw)
    assert result.layout == "acled"
    frame = result.frame.set_index("id")
    assert list(frame.index) == ["acled-xkx1", "acled-xkx2"]
    banjska = frame.loc["acled-xkx1"]
    assert (banjska["category"], banjska["municipality"], banjska["location_precision"]) == (
        "armed_clash",
        "zvecan",
        "settlement",
    )
    assert banjska["fatalities"] == 4 and banjska["date_label"] == "24 Sep 2023"
    riot = frame.loc["acled-xkx2"]
    assert (riot["category"], riot["location_precision"], riot["date_precision"]) == ("riot", "municipality", "month")
    assert riot["date"].day == 1
    assert [(p.row, p.field) for p in result.problems] == [
        (4, "date"),
        (5, "latitude/longitude"),
        (6, "date_precision"),
    ]
    assert {s["publisher"] for s in result.sources.values()} == {"KoSSev", "RTS", "Koha"}
    # Prepared like the dataset's incidents: the search finds the place in another language's spelling.
    assert list(filter_incidents(result.frame, View(query="Banjskë"))["id"]) == ["acled-xkx1"]


def test_acled_event_types_map_onto_categories() -> None:
    assert acled_category("Strategic developments", "Arrests") == "arrest"
    assert acled_category("Strategic developments", "Something new") == "political"
    assert acled_category("Explosions/Remote violence", "Grenade") == "explosion"
    assert acled_category("Violence against civilians", "Attack") == "attack"


def test_app_layout_upload_keeps_html_in_titles_as_plain_text() -> None:
    title = '<img src=x onerror="alert(1)"><b>Bold?</b>'
    result = upload(csv_text([{**GOOD_ROWS["incidents.csv"], "title": title}]).encode())
    assert result.layout == "app" and result.problems == []
    assert result.frame["title"].iloc[0] == title


def test_unrecognised_columns_are_one_clear_problem() -> None:
    result = upload(b"name,when,where\nx,y,z\n", "other.csv")
    assert result.frame.empty and result.layout == "none"
    [problem] = result.problems
    assert (problem.file, problem.row, problem.field) == ("other.csv", 1, "header")
    assert "ACLED" in problem.reason


def test_oversized_upload_is_refused_with_the_limit() -> None:
    result = upload(b"x" * (MAX_UPLOAD_BYTES + 1))
    assert result.frame.empty and f"{MAX_UPLOAD_MB} MB" in result.problems[0].reason


def test_a_file_the_widget_accepts_is_read() -> None:
    """The widget takes up to MAX_UPLOAD_MB million bytes; the reader must not refuse what it let through."""
    result = upload(b"x" * MAX_UPLOAD_BYTES)
    assert not any(f"{MAX_UPLOAD_MB} MB" in problem.reason for problem in result.problems)


def test_iso_dates_are_never_read_day_first() -> None:
    """An ACLED export's 2023-06-02 is 2 June, as is ACLED's own '02 June 2023' (and the other ISO forms)."""
    raw = acled_file([
        acled_row(event_id_cnty=f"XKX{n}", event_date=text)
        for n, text in enumerate(["2023-06-02", "02 June 2023", "2023/06/02", "20230602"])
    ])  # fmt: skip
    result = upload(raw)
    assert result.problems == []
    assert set(result.frame["date"].dt.date) == {dt.date(2023, 6, 2)}
    assert set(result.frame["date_label"]) == {"2 Jun 2023"}


def test_acled_sources_stay_with_the_upload_and_resolve() -> None:
    result = upload(acled_file([acled_row(source="N1; KoSSev")]))
    [row] = result.frame.to_dict("records")
    assert [result.sources[s]["publisher"] for s in row["sources"]] == ["N1", "KoSSev"]
