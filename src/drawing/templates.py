"""Map elements whose script goes into the page as it is, never compiled as a Jinja template.

branca renders each element's script and then compiles the result as a new template, so text from data
inside it (`{{ 7*7 }}`, a stray `{#`) would be evaluated on the server. Elements built on `RawMacro` write
their script directly; data enters only through `json()`, which is also safe inside a <script> element.
"""

from __future__ import annotations

import functools
import json
from types import SimpleNamespace
from typing import Any

import folium
from branca.element import Element
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer

from src.config import STATIC_DIR

# Sequences that open a Jinja tag. JSON's own structure never contains them, only its strings do, where
# the escaped form is the same string to JavaScript.
_JINJA_OPENERS = {"{{": "\\u007b\\u007b", "{%": "\\u007b%", "{#": "\\u007b#"}


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script> element and inert to any template engine."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    for opener, escaped in _JINJA_OPENERS.items():
        text = text.replace(opener, escaped)
    return text


@functools.cache
def own_script(name: str) -> str:
    """The app's script static/js/<name>, to go inside a map's own script, where it runs once per page (a
    second copy does nothing). st_folium fetches a map's script files one after another before the map can
    draw, so each file sent with the map instead is a round trip less on every first load."""
    code = (STATIC_DIR / "js" / name).read_text(encoding="utf-8")
    if "</script" in code.lower():
        raise ValueError(f"static/js/{name} contains </script and cannot go inside a map's script")
    seen = f"(window.__ownScripts = window.__ownScripts || {{}})[{json.dumps(name)}]"
    return f"if (!{seen}) {{\n{seen} = true;\n{code}}}\n"


class RawScript(Element):
    """A piece of script inserted as it is (never parsed as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _RawTemplate:
    """Stands in for an element's Jinja template. st_folium builds its page by calling each element's
    `_template.module.script(element)` (or `_template.render(this=element)`); both give `element.script()`."""

    def __init__(self) -> None:
        self.module = SimpleNamespace(script=lambda this, kwargs=None: this.script())

    def render(self, this: RawMacro, kwargs: Any = None) -> str:
        return this.script()


class RawMacro(JSCSSMixin, Layer):
    """A map element (a layer in the layer control when it has a name) whose `script()` is inserted raw."""

    _template = _RawTemplate()
    default_js: tuple[tuple[str, str], ...] = ()
    default_css: tuple[tuple[str, str], ...] = ()

    def __init__(self, name: str | None = None, show: bool = True, control: bool | None = None) -> None:
        super().__init__(name=name, overlay=True, control=bool(name) if control is None else control, show=show)

    def json(self, data: Any) -> str:
        return script_json(data)

    def parent_name(self) -> str:
        return self._parent.get_name()

    def add_line(self) -> str:
        """The script line that puts this layer on the map (only when it starts visible)."""
        return f"{self.get_name()}.addTo({self.parent_name()});" if self.show else ""

    def script(self) -> str:
        raise NotImplementedError

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(folium.CssLink(url), name=name)
        figure.script.add_child(RawScript(self.script()), name=self.get_name())
        for child in self._children.values():
            if not isinstance(child, ElementAddToElement):
                child.render(**kwargs)
