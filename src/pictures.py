"""Pictures of a map: a standalone map page (src/standalone.py) photographed in the system Chromium.

Offline by construction: the page is opened from a temporary file and every request that would leave the
file is aborted. The browser is Debian's Chromium (src/config.chromium_path); none is ever downloaded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from src.config import chromium_path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


@dataclass(frozen=True)
class PictureSize:
    label: str
    width: int  # CSS pixels of the page the map is laid out on
    height: int
    scale: int  # device pixels per CSS pixel

    @property
    def pixels(self) -> tuple[int, int]:
        return self.width * self.scale, self.height * self.scale


# A4 landscape at 300 dpi is 3508 × 2480 px: the map laid out at 1754 × 1240 and drawn at twice the density,
# so the legend and caption stay readable when printed.
A4_300DPI = PictureSize("A4 landscape, 300 dpi", 1754, 1240, 2)
SCREEN = PictureSize("screen, 1920 × 1080", 1920, 1080, 1)
SIZES = {"a4": A4_300DPI, "screen": SCREEN}


class PictureError(RuntimeError):
    """The picture could not be made (no Chromium, or it failed)."""


def map_png(html: str, size: PictureSize, timeout_ms: int = 60_000) -> bytes:
    """A PNG of the standalone map page `html` at exactly `size.pixels`."""
    browser_path = chromium_path()
    if browser_path is None:
        raise PictureError("Map pictures need Chromium on the server (Debian package chromium).")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS, headless=True)
                try:
                    context = browser.new_context(
                        viewport={"width": size.width, "height": size.height}, device_scale_factor=size.scale
                    )
                    context.route(
                        "**/*",
                        lambda route: (
                            route.continue_()
                            if route.request.url.startswith(("file:", "data:", "about:"))
                            else route.abort()
                        ),
                    )
                    page = context.new_page()
                    page.goto(page_file.as_uri())
                    page.wait_for_selector("[data-incidents-drawn]", state="attached", timeout=timeout_ms)
                    page.wait_for_timeout(300)  # let the canvas and the controls settle
                    return page.screenshot(type="png", full_page=False)
                finally:
                    browser.close()
        except PlaywrightError as err:
            raise PictureError(f"Chromium could not draw the map: {err}") from err
