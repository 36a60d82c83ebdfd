"""Small static maps of compared areas (small multiples), drawn with matplotlib.

One PNG per area: the area outlined in black among its neighbours of the same level
(the other buurten or wijken of its gemeente, the gemeenten around a gemeente), all
coloured by one indicator with one set of classes across every image, so the colours
compare between areas. A static image is light (no map tiles, no script, no CDN) and
prints. Pure: no Streamlit, no folium; the page hands in the geometry.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from wijkmap.config import RD_NEW
from wijkmap.core import analysis
from wijkmap.core.i18n import format_value
from wijkmap.core.style import MISSING_COLOUR, class_colours

IMAGE_INCHES = 2.6
IMAGE_DPI = 110
IMAGE_PIXELS = round(IMAGE_INCHES * IMAGE_DPI)  # shown at its own size: sharp
# How much of the surroundings shows around the area: this share of its extent on each
# side, and at least CONTEXT_MIN_M (a small buurt would otherwise fill the image).
CONTEXT_MARGIN = 0.6
CONTEXT_MIN_M = 700.0


@dataclass(frozen=True)
class SmallMaps:
    images: dict[str, bytes]  # area code -> PNG
    legend: list[tuple[str, str]]  # (colour, class range) for the shared legend


def small_maps(
    contexts: dict[str, gpd.GeoDataFrame],
    values: pd.Series,
    unit: str,
    palette: str,
    klassen: int,
    scheme: str = "quantiles",
    lang: str = "nl",
) -> SmallMaps:
    """One image per area code of `contexts` (code -> its neighbourhood: code, geometry,
    including the area itself). `values` (by code) colour every area drawn."""
    drawn = pd.Index(sorted({code for frame in contexts.values() for code in frame["code"]}))
    classification = analysis.classify(values.reindex(drawn).astype(float), scheme, klassen)
    colours = class_colours(palette, len(classification.bins))
    fill: dict[str, str] = {
        str(code): (colours[k] if k >= 0 else MISSING_COLOUR)
        for code, k in classification.classes.items()
        if k < len(colours)
    }
    legend, lower = [], classification.lower
    for colour, upper in zip(colours, classification.bins):
        legend.append((colour, f"{format_value(lower, unit, lang)} – {format_value(upper, unit, lang)}"))
        lower = upper
    images = {code: _draw(code, frame, fill) for code, frame in contexts.items()}
    return SmallMaps(images, legend)


def _draw(focus: str, frame: gpd.GeoDataFrame, fill: dict[str, str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display: only files
    from matplotlib.figure import Figure

    shapes = frame.to_crs(RD_NEW)
    own = shapes[shapes["code"] == focus]
    figure = Figure(figsize=(IMAGE_INCHES, IMAGE_INCHES), dpi=IMAGE_DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_aspect("equal")
    shapes.plot(
        ax=axes,
        color=[fill.get(code, MISSING_COLOUR) for code in shapes["code"]],
        edgecolor="#9a9a9a",
        linewidth=0.35,
    )
    if not own.empty:
        own.boundary.plot(ax=axes, color="black", linewidth=2.2)
        west, south, east, north = own.total_bounds
        margin = max(max(east - west, north - south) * CONTEXT_MARGIN, CONTEXT_MIN_M)
        axes.set_xlim(west - margin, east + margin)
        axes.set_ylim(south - margin, north + margin)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def legend_image(legend: list[tuple[str, str]], title: str = "", missing: str = "–") -> bytes:
    """The shared legend of the small maps (colour boxes with their class ranges, and
    `missing` for the grey of areas without a figure), as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    entries = [*legend, (MISSING_COLOUR, missing)]
    rows = (len(entries) + 2) // 3
    figure = Figure(figsize=(5.6, 0.25 + 0.3 * rows + (0.3 if title else 0)), dpi=IMAGE_DPI * 1.5)
    handles = [Patch(facecolor=colour, edgecolor="#999999", label=label) for colour, label in entries]
    figure.legend(handles=handles, loc="center", ncol=3, frameon=False, fontsize=10, title=title or None)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
