"""A tiny Streamlit script for tests/browser/test_markdown_escape.py: every hostile value, escaped with
md_escape, in every element that renders Markdown. Each one sits in a container keyed by its index."""

import pandas as pd
import streamlit as st

from src.text import md_escape
from tests.markdown_cases import HOSTILE

for number, value in enumerate(HOSTILE):
    with st.container(key=f"case_{number}"):
        text = md_escape(value)
        st.markdown(text)
        st.caption(text)
        st.info(text)
        st.subheader(text, anchor=False)
        st.table(pd.DataFrame({"": [text]}), hide_index=True)
