"""wijkmap: an interactive map of the sociale basis per Dutch neighbourhood."""

__version__ = "0.1.0"
