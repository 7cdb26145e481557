"""The map's layers, in drawing order. A new layer is one module here plus one line in LAYERS.

Each module provides NAME, LABEL, FILE, `load(data_dir) -> LayerData` and
`add_to_map(folium_map, frame, DrawContext)`, and imports nothing from streamlit.
"""

from src.layers import crossings, incidents, municipalities, outline, police_bases, settlements

LAYERS = (municipalities, outline, settlements, crossings, police_bases, incidents)
BY_NAME = {layer.NAME: layer for layer in LAYERS}
