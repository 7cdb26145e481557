"""The sidebar's date range in a real browser: typed dates apply on Enter and on Tab (not only when the field
loses focus), and a range typed end before start is put in order with the one notice of src/view.py."""

from __future__ import annotations

import contextlib
import datetime as dt

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.view import View, ordered_dates
from tests.browser.conftest import App, OfflinePage, wait_drawn

DATA = load_dataset(DEFAULT_DATA_DIR)
COUNT = "[data-testid=stMarkdownContainer]:has-text('incidents match the filters')"


def expected(start: dt.date | None = None, end: dt.date | None = None) -> int:
    return len(filter_incidents(DATA.incidents, View(start=start, end=end)))


def shown_count(page: object, count: int) -> None:
    """Waits until the page says `count` incidents match."""
    page.locator(COUNT).filter(has_text=f"{count:,} of {len(DATA.incidents):,}").wait_for(timeout=20_000)  # type: ignore[attr-defined]


def type_date(page: object, which: str, day: dt.date) -> None:
    """Types a date into the start or end field, segment by segment, as a keyboard user does."""
    page.locator(f'[aria-label="year, Dates {which} date"]').click()  # type: ignore[attr-defined]
    page.keyboard.type(day.strftime("%Y%m%d"))  # type: ignore[attr-defined]


def open_page(app: App, page: object, path: str = "/incidents") -> None:
    """Opens a page and waits for the sidebar's key handling (on a build without it, a test fails at its
    count, not here)."""
    page.goto(f"{app.url}{path}")  # type: ignore[attr-defined]
    shown_count(page, len(DATA.incidents))
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("window.__dateKeysInstalled === true", timeout=15_000)  # type: ignore[attr-defined]


def test_typed_dates_apply_on_enter(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: a typed date applied only when the field lost focus; Enter did nothing."""
    page = offline_page.page
    open_page(app, page, "/")
    offline_page.map_frame()
    start = dt.date(2022, 1, 1)
    type_date(page, "start", start)
    page.keyboard.press("Enter")
    shown_count(page, expected(start))
    assert wait_drawn(offline_page, expected(start)) == expected(start)
    assert "start=2022-01-01" in page.url
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "day, Dates start date"
    assert offline_page.blocked == []


def test_typed_dates_apply_on_tab(app: App, offline_page: OfflinePage) -> None:
    """Tab from the start date to the end date applies the start; Tab out of the end date applies the end."""
    page = offline_page.page
    open_page(app, page)
    start, end = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    type_date(page, "start", start)
    page.keyboard.press("Tab")
    shown_count(page, expected(start))
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "year, Dates end date"
    page.keyboard.type(end.strftime("%Y%m%d"))
    page.keyboard.press("Tab")
    shown_count(page, expected(start, end))


def test_a_reversed_typed_range_gets_a_notice(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: a range typed end before start was swapped without a word."""
    page = offline_page.page
    open_page(app, page)
    typed_start = dt.date(2022, 6, 1)
    type_date(page, "start", typed_start)
    page.keyboard.press("Enter")
    shown_count(page, expected(typed_start))
    typed_end = dt.date(2022, 1, 1)
    type_date(page, "end", typed_end)
    page.keyboard.press("Enter")
    start, end, notice = ordered_dates(typed_start, typed_end)
    shown_count(page, expected(start, end))
    alert = page.locator("[data-testid=stSidebar] [data-testid=stAlert]")
    alert.wait_for(timeout=10_000)
    assert notice in alert.inner_text().replace("\u2060", "")
    page.locator('input[aria-label="Search"]').fill("police")
    page.locator('input[aria-label="Search"]').press("Enter")  # the notice stays while that range is shown
    shown_count(page, len(filter_incidents(DATA.incidents, View(start=start, end=end, query="police"))))
    assert alert.is_visible()
