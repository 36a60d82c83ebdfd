"""Beheer: the gemeente's own register (wijkmap.beheer.page)."""

from wijkmap.beheer.page import page

page()
