"""The outline of Kosovo: a plain line that frames the map when no tiles are shown."""

from __future__ import annotations

from src.geography import KOSOVO_FILE
from src.layers.spec import LayerSpec
from src.validation import RequiredText, Row, Slug


class OutlineRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: str = ""
    name_sr: str = ""
    name_sr_cyrl: str = ""


LAYER = LayerSpec(name="outline", label="Kosovo outline", file=KOSOVO_FILE, model=OutlineRow, drawer="outline")
