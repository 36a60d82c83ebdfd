"""Moderatie: the contribution queue (wijkmap.contributions.moderation_page)."""

from wijkmap.contributions.moderation_page import page

page()
