"""Voorbeelden: the published examples (wijkmap.contributions.examples_page)."""

from wijkmap.contributions.examples_page import page

page()
