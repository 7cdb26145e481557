"""Briefing: a prepared sequence of map views for a wall screen, stepped with the arrow keys, and exports."""

from src.ui import briefing_panel, panels
from src.ui.data import dataset
from src.ui.layout import page_setup

page_setup("Briefing", sidebar="collapsed")
briefing_panel.page_style()
panels.data_health(dataset())
briefing_panel.show(dataset())
