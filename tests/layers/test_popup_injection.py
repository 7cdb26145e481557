"""Regression: text in a popup went into folium's JS template literal, where `${...}` would run as code."""

from __future__ import annotations

import re
from pathlib import Path

from src.dataset import load_dataset
from src.mapview import build_map
from src.text import esc
from src.view import View
from tests.conftest import GOOD_ROWS, csv_text

HOSTILE = "${window.__pwned = 1} `tick` back\\slash </script><script>window.__pwned = 2</script>"


def test_esc_neutralises_template_literal_syntax() -> None:
    assert esc(HOSTILE).count("$") == 0 and "`" not in esc(HOSTILE) and "\\" not in esc(HOSTILE)
    assert "<" not in esc(HOSTILE)


def test_crossing_notes_cannot_inject_script_into_the_map(data_dir: Path) -> None:
    row = {
        **GOOD_ROWS["crossings.csv"],
        "notes": HOSTILE,
        "name_en": HOSTILE,
        "sources": "icg-20240402-northern-kosovo",
    }
    (data_dir / "crossings.csv").write_text(csv_text([row]), encoding="utf-8")
    html = build_map(load_dataset(data_dir), View()).get_root().render()
    assert "__pwned" in html  # the text is there, as text
    assert "<script>window.__pwned" not in html and "</script><script>" not in html
    template_literals = re.findall(r"`(.*?)`", html, flags=re.S)
    assert all("${window" not in literal for literal in template_literals)
