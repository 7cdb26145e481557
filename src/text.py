"""Names in four forms, search folding across scripts and spellings, and HTML escaping."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd
from cyrtranslit.mapping import SR_CYR_TO_LAT_DICT

from src.columns import per_distinct

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


# Serbian Cyrillic to Latin (cyrtranslit's table), with đ (and Cyrillic ђ) spelled "dj" as people type it
# without diacritics.
_DJ = str.maketrans({"đ": "dj", "Đ": "Dj"})
_TO_LATIN = str.maketrans({**{k: v.translate(_DJ) for k, v in SR_CYR_TO_LAT_DICT.items()}, "đ": "dj", "Đ": "Dj"})
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold_series(texts: pd.Series) -> pd.Series:
    """Lower-case ASCII form used for matching, a whole column at once: 'Zvecan', 'Zveçan', 'Zvečan' and
    'Звечан' all give 'zvecan'. Each distinct text is folded once (places, actors and titles repeat)."""
    return per_distinct(texts.fillna("").astype(str), lambda distinct: distinct.map(_fold_one))


def _fold_one(text: str) -> str:
    if text.isascii():  # most text: nothing to transliterate or strip
        return " ".join(text.lower().split())
    latin = unicodedata.normalize("NFKD", text.translate(_TO_LATIN))
    return " ".join(_COMBINING.sub("", latin).lower().split())


def fold(text: str) -> str:
    """`fold_series` for one text (a search query)."""
    return _fold_one(str(text))


# folium puts popup HTML inside a JavaScript template literal, where `${...}` runs code and a backslash or
# backtick changes the string, and branca compiles element scripts as Jinja templates, where `{{`, `{%` and
# `{#` run or break; as HTML entities they all look the same and do nothing.
TEMPLATE_ENTITIES = str.maketrans({"$": "&#36;", "`": "&#96;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def esc(value: Any) -> str:
    """Text from data made safe for HTML, inside a JS template literal and inside a Jinja template (None and NaN
    become empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True).translate(TEMPLATE_ENTITIES)


# Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, and escaping all of
# them leaves no construct to open (links, images, emphasis, HTML, entities, tables, KaTeX `$`, Streamlit's
# `:colour[...]` and `:shortcode:` directives).
MARKDOWN_SPECIALS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# GFM's autolinks (`http://…`, `www.…`, `a@b.c`) are found in the text after escapes are resolved, so an
# invisible word joiner (U+2060) after each `:` and before each `.` and `@` breaks them without changing
# what the reader sees.
WORD_JOINER = "\u2060"
_AUTOLINK_BREAKS = str.maketrans({":": ":" + WORD_JOINER, ".": WORD_JOINER + ".", "@": WORD_JOINER + "@"})


def md_escape(value: Any) -> str:
    """The one escaping function for Markdown: text from a link, an upload or a data file shown literally by
    st.markdown, st.caption, st.info, st.subheader and every other element that renders Markdown (proven in
    tests/browser/test_markdown_escape.py against Streamlit's own renderer). Line breaks become spaces, so a
    value cannot start a block (a heading, a list, a code block). None and NaN become empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).splitlines()).translate(_AUTOLINK_BREAKS)
    return "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in text)


def safe_url(url: Any) -> str:
    """The one link allow-list: only http(s) URLs become links; anything else (javascript:, data:) is dropped."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def md_link(text: Any, url: Any) -> str:
    """A markdown link with escaped text; only http(s) URLs become links."""
    target = safe_url(url)
    if not target:
        return md_escape(text)
    target = target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{md_escape(text)}]({target})"
