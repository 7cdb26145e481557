"""The zvecan municipality page (all four pages share src/ui/municipality_page.py)."""

from src.ui.municipality_page import render

render("zvecan")
