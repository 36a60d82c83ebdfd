"""Gegevens: what the store holds (wijkmap.coverage.page)."""

from wijkmap.coverage.page import page

page()
