"""Names in four forms, search folding across scripts and spellings, and HTML escaping."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from typing import Any

import cyrtranslit

LANGUAGES = {"en": "English", "sq": "Shqip", "sr": "Srpski", "sr_cyrl": "Српски"}
DEFAULT_LANGUAGE = "en"
# Which name to fall back on when a record lacks the chosen language's form.
FALLBACKS = {
    "en": ("en", "sr", "sq"),
    "sq": ("sq", "en", "sr"),
    "sr": ("sr", "en", "sq"),
    "sr_cyrl": ("sr_cyrl", "sr", "en", "sq"),
}


def name_in(record: Mapping[str, Any], language: str, prefix: str = "name") -> str:
    """The record's name in `language` (columns name_en, name_sq, name_sr, name_sr_cyrl), with fallbacks."""
    for lang in FALLBACKS.get(language, FALLBACKS[DEFAULT_LANGUAGE]):
        value = record.get(f"{prefix}_{lang}")
        if isinstance(value, str) and value.strip():
            return value
    value = record.get(prefix)
    return value if isinstance(value, str) else ""


def fold(text: str) -> str:
    """Lower-case ASCII form used for matching: 'Zvecan', 'Zveçan', 'Zvečan' and 'Звечан' all give 'zvecan'."""
    latin = cyrtranslit.to_latin(text, "sr")
    latin = latin.replace("đ", "dj").replace("Đ", "Dj")
    stripped = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


# folium puts popup HTML inside a JavaScript template literal, where `${...}` runs code and a backslash or
# backtick changes the string; as HTML entities they look the same and do nothing.
TEMPLATE_LITERAL_ENTITIES = str.maketrans({"$": "&#36;", "`": "&#96;", "\\": "&#92;"})


def esc(value: Any) -> str:
    """Text from data made safe for HTML, also inside a JS template literal (None and NaN become empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True).translate(TEMPLATE_LITERAL_ENTITIES)


MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|<>~$"


def md_escape(value: Any) -> str:
    """Text from data made inert for Streamlit markdown (no links, emphasis, HTML or maths)."""
    text = "" if value is None else str(value)
    return "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in text)


def md_link(text: Any, url: Any) -> str:
    """A markdown link with escaped text; only http(s) URLs become links."""
    target = str(url or "").strip()
    if not target.lower().startswith(("https://", "http://")):
        return md_escape(text)
    target = target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{md_escape(text)}]({target})"
