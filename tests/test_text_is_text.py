"""Issue 15, "text is text": template and Markdown syntax in every text field comes out as its text, on the
map (never compiled by Jinja) and on every page (never rendered as Markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.briefing import briefing_files, load_briefing
from src.dataset import load_dataset
from src.layers import by_name
from src.mapview import build_map
from src.view import View
from tests.conftest import open_app
from tests.poison import EVALUATED, poison

RAW_IMAGE = "![x](http://evil.example/p.png)"


@pytest.fixture
def poisoned(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    poison(data_dir)
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    return data_dir


def test_text_is_text_every_layer_renders_templates_literally(poisoned: Path) -> None:
    data = load_dataset(poisoned)
    briefing, _ = load_briefing(briefing_files(poisoned)[0], set(data.incidents["id"]), set(data.sources))
    assert briefing is not None
    slide = briefing.slides[0]
    view = View(layers=tuple(by_name()))
    fmap = build_map(data, view, data.incidents, caption=(slide.title, briefing.title, "stamp"))
    html = fmap.get_root().render()  # a `{#` compiled as a template would raise TemplateSyntaxError
    assert not any(evaluated in html for evaluated in EVALUATED)
    # The payload is there, as inert text: entities in popup HTML, \u007b escapes in JSON.
    literal = html.count("&#123;&#123; 7*7 &#125;&#125;") + html.count("\\u007b\\u007b 7*7 }}")
    assert literal >= len(data.frame("crossings")) + len(data.frame("police_bases"))


PAGES = [
    ("app.py", {}),
    ("pages/incidents.py", {"incident": "inc-20230924-banjska-attack-siege"}),
    ("pages/time.py", {}),
    ("pages/briefing.py", {}),
    ("pages/zvecan.py", {}),
]


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_text_is_text_every_page_shows_template_and_markdown_literally(
    poisoned: Path, page: str, params: dict[str, str]
) -> None:
    at = open_app(page if page != "app.py" else None, **params)
    assert not at.exception, at.exception
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
    shown = [str(el.value) for kind in kinds for el in at.get(kind)]
    shown += [at.table[i].value.to_string() for i in range(len(at.table))]
    if page != "pages/time.py":  # the Time page shows no text from the files outside its charts
        assert any("7\\*7" in text for text in shown), "the payload should be on the page, escaped"
    for text in shown:
        assert RAW_IMAGE not in text and "{{ 7*7 }}" not in text, text
        assert not any(evaluated in text for evaluated in EVALUATED), text
