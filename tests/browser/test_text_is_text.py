"""Issue 15, "text is text" in the browser: with template and Markdown syntax in every text field of the
data, each page shows it literally and no request leaves this machine (no tracking pixel, no link)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from src.config import DEFAULT_DATA_DIR
from src.text import WORD_JOINER
from tests.browser.conftest import App, OfflinePage
from tests.poison import EVALUATED, poison

PAGES = ["/", "/incidents?incident=inc-20230924-banjska-attack-siege", "/briefing", "/zvecan"]


@pytest.fixture(scope="module")
def poisoned_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    target = tmp_path_factory.mktemp("poisoned") / "geodata"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    running = App(env={"GEODATA_DIR": str(poison(target))})
    yield running
    running.stop()


@pytest.mark.parametrize("path", PAGES)
def test_text_is_text_poisoned_data_shows_literally_and_stays_offline(
    poisoned_app: App, browser: object, path: str
) -> None:
    page = OfflinePage(browser)
    try:
        page.page.goto(poisoned_app.url + path)
        page.page.get_by_text("{{ 7*7 }}", exact=False).first.wait_for(timeout=60_000)
        if path in ("/", "/briefing"):
            page.map_frame()
        page.page.wait_for_timeout(1500)
        text = page.page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")
        assert "![x](http://evil.example/p.png)" in text
        assert not any(evaluated in text for evaluated in EVALUATED)
        planted = page.page.locator("[data-testid=stMain] img[src*='evil'], [data-testid=stMain] a[href*='evil']")
        assert planted.count() == 0, [planted.nth(i).evaluate("e => e.parentElement.outerHTML.slice(0, 300)")
                                      for i in range(planted.count())]  # fmt: skip
        assert page.blocked == []
    finally:
        page.context.close()
