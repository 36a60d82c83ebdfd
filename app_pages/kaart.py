"""Kaart: the map explorer (wijkmap.explorer.page)."""

from wijkmap.explorer.page import page

page()
