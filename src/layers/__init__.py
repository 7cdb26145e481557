"""The layer registry: every map layer, in drawing order. A new layer is one module plus one line here.

Each module declares `LAYER`, a `LayerSpec` (src/layers/spec.py) saying everything the app needs to know
about it. Everything else (loading, the default view, the layer control, the legend, date filtering,
source checks, data health) reads this registry.
"""

from __future__ import annotations

from src.layers import crossings, incidents, municipalities, outline, police_bases, settlements
from src.layers.spec import LayerSpec

LAYERS: list[LayerSpec] = [
    municipalities.LAYER,
    outline.LAYER,
    settlements.LAYER,
    crossings.LAYER,
    police_bases.LAYER,
    incidents.LAYER,
]


def by_name() -> dict[str, LayerSpec]:
    """The registered layers by name (read at call time, so a layer registered later is included)."""
    return {layer.name: layer for layer in LAYERS}


def default_layers() -> tuple[str, ...]:
    """The layers a fresh view shows: each layer says whether it starts visible."""
    return tuple(layer.name for layer in LAYERS if layer.default_visible)


def dated_layers() -> list[LayerSpec]:
    return [layer for layer in LAYERS if layer.dates]
