"""On the Map page a filter change reruns only the sidebar, the count and the map's filter (a fragment): read
from the messages the server sends. A change the rest of the page shows (the language, or any filter while
the add-a-slide panel is open) reruns the whole page, and so does a filter change sent to a server that never
ran the page (a restarted one, as a replica a browser moves to)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import App, OfflinePage, wait_drawn
from tests.browser.test_live_map import DATA, expected, search

MAP_COMPONENT = "st_folium"


class Runs:
    """The script runs the server reports to this page, each as (how it finished, components it sent)."""

    def __init__(self, page: OfflinePage) -> None:
        self.finished: list[tuple[int, list[str]]] = []
        self._sent: list[str] = []
        self._page = page.page
        page.page.on("websocket", lambda socket: socket.on("framereceived", self._received))

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "component_instance":
            self._sent.append(message.delta.new_element.component_instance.component_name)
        elif kind == "ref_hash":
            self._sent.append("(cached element)")
        elif kind == "script_finished":
            self.finished.append((message.script_finished, self._sent))
            self._sent = []

    def after(self, before: int, status: int, timeout_s: float = 30) -> list[tuple[int, list[str]]]:
        """The runs finished since `before` of them had, once one of them finished with `status`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and all(done != status for done, _ in self.finished[before:]):
            self._page.wait_for_timeout(50)  # Playwright hands over its events only while it is called
        return self.finished[before:]


@pytest.fixture
def runs(app: App, offline_page: OfflinePage) -> Iterator[Runs]:
    watched = Runs(offline_page)
    offline_page.page.goto(app.url)
    offline_page.map_frame()
    wait_drawn(offline_page, len(DATA.incidents))
    offline_page.page.wait_for_timeout(500)  # the first run's own messages are in
    yield watched


def test_a_filter_change_reruns_the_filters_not_the_page(offline_page: OfflinePage, runs: Runs) -> None:
    before = len(runs.finished)
    search(offline_page, "Banjska")
    assert wait_drawn(offline_page, expected("Banjska")) == expected("Banjska")
    (status, sent), *_ = runs.after(before, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
    assert status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    assert not any(MAP_COMPONENT in name for name in sent) and "(cached element)" not in sent, sent
    assert any("incident_bridge" in name for name in sent), sent
    count = offline_page.page.get_by_text("incidents match the filters").inner_text()
    assert count.startswith(f"{expected('Banjska')} of {len(DATA.incidents)}")


def test_a_language_change_rebuilds_the_map_which_keeps_the_filter(offline_page: OfflinePage, runs: Runs) -> None:
    search(offline_page, "Zvečan")
    assert wait_drawn(offline_page, expected("Zvečan")) == expected("Zvečan")
    before = len(runs.finished)
    box = offline_page.page.locator("[data-testid=stSelectbox]").filter(has_text="Names in")
    box.locator("input").click()
    offline_page.page.locator("[role=option]").filter(has_text="Shqip").first.click()
    since = runs.after(before, ForwardMsg.FINISHED_SUCCESSFULLY)
    full = [sent for status, sent in since if status == ForwardMsg.FINISHED_SUCCESSFULLY]
    assert full, since
    assert any(MAP_COMPONENT in name for name in full[0]), full[0]  # the page ran and sent a new map
    offline_page.map_frame().get_by_text("Zveçan").first.wait_for(timeout=30_000)  # with the Albanian names
    # The filter did not change, so the bridge was not rendered again: the new map takes it from the page.
    assert wait_drawn(offline_page, expected("Zvečan")) == expected("Zvečan")


def test_with_the_slide_panel_open_a_filter_change_reruns_the_page(offline_page: OfflinePage, runs: Runs) -> None:
    offline_page.page.locator(".st-key-add_view_panel").get_by_text("Add this view as a slide").first.click()
    offline_page.page.get_by_label("Slide title").wait_for()
    offline_page.page.wait_for_timeout(500)
    before = len(runs.finished)
    search(offline_page, "Jarinje")
    assert wait_drawn(offline_page, expected("Jarinje")) == expected("Jarinje")
    since = runs.after(before, ForwardMsg.FINISHED_SUCCESSFULLY)
    assert any(status == ForwardMsg.FINISHED_SUCCESSFULLY for status, _ in since), since


def test_after_the_server_restarts_filter_changes_still_redraw(browser: object) -> None:
    app = App()
    page = OfflinePage(browser)
    runs = Runs(page)
    try:
        page.page.goto(app.url)
        page.map_frame()
        assert wait_drawn(page, len(DATA.incidents)) == len(DATA.incidents)
        with page.page.expect_websocket(timeout=60_000):  # the page reconnects by itself, keeping its content
            app.restart()
        page.page.wait_for_timeout(1000)
        before = len(runs.finished)
        search(page, "Zvečan")  # the new server holds no fragment of this page: the whole page runs
        since = runs.after(before, ForwardMsg.FINISHED_SUCCESSFULLY)
        assert any(status == ForwardMsg.FINISHED_SUCCESSFULLY for status, _ in since), since
        # (That first run opens the view from the link, as any new session does, so this search may be lost.)
        for query in ("Banjska", "Jarinje"):
            search(page, query)
            assert wait_drawn(page, expected(query)) == expected(query), query
    finally:
        page.context.close()
        app.stop()
