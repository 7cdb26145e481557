"""The palette: every category readable on the map background (WCAG contrast at least 3:1), and colours
that are easily confused also differ in shape."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from src.config import STATIC_DIR
from src.vocabulary import CATEGORIES


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def map_background() -> str:
    css = (Path(STATIC_DIR) / "css" / "map.css").read_text(encoding="utf-8")
    return re.search(r"\.leaflet-container \{ background: (#[0-9a-fA-F]{6})", css).group(1)


def test_every_category_has_at_least_3_to_1_contrast_on_the_map_background() -> None:
    background = map_background()
    # the northern municipalities' fill (#2c5d8f at 18 %) over the background is darker still; check both
    for category, (_, colour, _) in CATEGORIES.items():
        assert contrast(colour, background) >= 3, category
        assert contrast(colour, "#c9d4df") >= 3, category


def test_similar_colours_differ_in_shape() -> None:
    for (a, (_, ca, sa)), (b, (_, cb, sb)) in itertools.combinations(CATEGORIES.items(), 2):
        if contrast(ca, cb) < 1.6:
            assert sa != sb, (a, b)
