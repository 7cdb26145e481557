"""Northern Kosovo map dashboard: data layers, map building and the Streamlit wiring around them."""
