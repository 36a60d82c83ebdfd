"""Voorbeeld insturen: send in an example (wijkmap.contributions.submit_page)."""

from wijkmap.contributions.submit_page import page

page()
