"""The Incidents page in a real browser: the record view as it is drawn, and choosing records one after another."""

from __future__ import annotations

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from tests.browser.conftest import App, OfflinePage

DATA = load_dataset(DEFAULT_DATA_DIR)
FACTS_ROWS = "Array.from(document.querySelectorAll('[data-testid=stTable] tr'), r => r.innerText.trim())"


def test_record_view_starts_without_an_empty_table_row(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: the record's facts table began with a blank header row (its columns had no names)."""
    page = offline_page.page
    record = DATA.incidents.iloc[12]
    page.goto(f"{app.url}/incidents?incident={record['id']}")
    page.wait_for_selector("[data-testid=stTable] td", timeout=60_000)
    rows = page.evaluate(FACTS_ROWS)
    assert rows[0].startswith("Date"), rows
    assert all(rows), rows


def test_open_a_record_honours_every_choice_in_the_browser(app: App, offline_page: OfflinePage) -> None:
    """Each record chosen in "Open a record" opens, the second and third as well as the first."""
    page = offline_page.page
    page.goto(f"{app.url}/incidents")
    box = page.locator("[data-testid=stSelectbox]").filter(has_text="Open a record")
    box.wait_for(timeout=60_000)
    for record in DATA.incidents.iloc[[3, 7, 12]].to_dict("records"):
        box.locator("input").click()
        box.locator("input").fill(record["title"][:40])
        page.locator("[role=option]").filter(has_text=record["title"][:40]).first.click()
        heading = page.locator("h3").filter(has_text=record["title"])
        heading.wait_for(timeout=30_000)
        page.wait_for_function(f"location.search.includes('incident={record['id']}')", timeout=10_000)
    assert offline_page.blocked == []
