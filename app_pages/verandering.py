"""Verandering: change over time (wijkmap.change.page)."""

from wijkmap.change.page import page

page()
