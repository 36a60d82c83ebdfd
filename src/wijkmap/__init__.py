"""wijkmap: an interactive map of the sociale basis per Dutch neighbourhood."""

from importlib import metadata

try:
    # Written once, in pyproject.toml; an install (also `pip install -e .`) records it.
    __version__ = metadata.version("wijkmap")
except metadata.PackageNotFoundError:  # imported from src/ without ever being installed
    __version__ = "0+onbekend"
