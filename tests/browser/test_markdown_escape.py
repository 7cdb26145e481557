"""md_escape proven against Streamlit's own Markdown renderer: every hostile value shows as its text."""

from __future__ import annotations

import pytest

from src.text import WORD_JOINER
from tests.browser.conftest import App, OfflinePage
from tests.markdown_cases import HOSTILE

MARKUP = "a, img, em, strong, del, code, .katex, h1 h1, table table, [data-testid=stIconMaterial], b, span[style]"


@pytest.fixture(scope="module")
def probe() -> App:
    running = App("tests/browser/markdown_probe.py")
    yield running
    running.stop()


def test_text_is_text_md_escape_shows_every_hostile_value_literally(probe: App, browser: object) -> None:
    page = OfflinePage(browser)
    try:
        page.page.goto(probe.url)
        last = page.page.locator(f".st-key-case_{len(HOSTILE) - 1}")
        last.locator("table").wait_for(timeout=60_000)
        for number, value in enumerate(HOSTILE):
            case = page.page.locator(f".st-key-case_{number}")
            shown = [el.inner_text() for el in case.locator("[data-testid=stMarkdownContainer]").all()]
            shown = [text for text in shown if text.strip()]  # the table's empty header
            shown += [case.locator("h3").inner_text(), case.locator("table td").inner_text()]
            assert len(shown) >= 6, (value, shown)
            expected = " ".join(value.split())
            for text in shown:
                assert " ".join(text.replace(WORD_JOINER, "").split()) == expected, (value, text)
            assert case.locator(MARKUP).count() == 0, value
        assert page.blocked == []
    finally:
        page.context.close()
