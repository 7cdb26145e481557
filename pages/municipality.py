"""A municipality page by id (?m=<id>): the four northern ones render, any other id gets the list of pages."""

import streamlit as st

from src.ui.municipality_page import render

render(st.query_params.get("m", ""))
