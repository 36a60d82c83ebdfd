"""Static map images drawn with matplotlib: the comparison's small maps and the
report's title-page map, one drawing for both.

Areas are filled with their class colour; areas without a figure are grey and hatched
(so they read as "no figure" in black and white too); records are points in their
category's colour and shape (core.style.CATEGORY_STYLE), fictional sample records with a
dashed outline as on the map; every text is escaped, since matplotlib reads text
between two `$` as a formula. A static image is light (no tiles, no script, no CDN)
and prints. Pure: no Streamlit, no folium, no pyplot (a Figure of its own per image,
safe in Streamlit's threads); the caller hands in the geometry.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from wijkmap.config import RD_NEW
from wijkmap.core import vocabulary as vocab
from wijkmap.core.classification import classify
from wijkmap.core.i18n import format_value, t
from wijkmap.core.records import sample_mask
from wijkmap.core.style import CATEGORY_STYLE, MISSING_COLOUR, class_colours

MARKERS = {"square": "s", "circle": "o", "diamond": "D", "triangle": "^", "hexagon": "h"}
GREY_HATCH = "////"
HATCH_EDGE = "#777777"
FONT = "DejaVu Sans"

# The comparison's small maps.
IMAGE_INCHES = 2.6
IMAGE_DPI = 110
IMAGE_PIXELS = round(IMAGE_INCHES * IMAGE_DPI)  # shown at its own size: sharp
# How much of the surroundings shows around the area: this share of its extent on each
# side, and at least CONTEXT_MIN_M (a small buurt would otherwise fill the image).
CONTEXT_MARGIN = 0.6
CONTEXT_MIN_M = 700.0

# The report's map. Inches: the width of the printed page's text (A4 less margins) and
# the map's height; the map takes MAP_SHARE of the width, the legend the rest.
REPORT_DPI = 200
WIDTH, HEIGHT = 6.9, 5.2
MAP_SHARE = 0.64


def escape(text: str) -> str:
    """`text` shown literally by matplotlib: every `$` escaped (no mathtext)."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 34) -> str:
    """Legend text broken into lines that fit beside the map, escaped."""
    return escape("\n".join(textwrap.wrap(text, width)) or text)


def _figure(width: float, height: float, dpi: float):
    import matplotlib

    matplotlib.use("Agg")  # no display: only files
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi)
    return figure


def _png(figure, dpi: float | None = None) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white", **({"dpi": dpi} if dpi else {}))
    return buffer.getvalue()


def draw_areas(ax, shapes: gpd.GeoDataFrame, colours: list[str | None], edgecolor: str, linewidth: float) -> None:
    """`shapes` filled with `colours` (one a row; None: no figure, drawn grey and hatched)."""
    missing = [colour is None for colour in colours]
    shapes.plot(
        ax=ax,
        color=[MISSING_COLOUR if colour is None else colour for colour in colours],
        edgecolor=edgecolor,
        linewidth=linewidth,
    )
    if any(missing):
        shapes[missing].plot(ax=ax, facecolor="none", edgecolor=HATCH_EDGE, hatch=GREY_HATCH, linewidth=0.0)


def class_handles(entries: list[tuple[str, str]], missing: str | None, edgecolor: str = "#444444", width: int = 34):
    """Legend patches: (colour, label) per class, then the hatched grey of `missing`."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=colour, edgecolor=edgecolor, label=_wrap(label, width)) for colour, label in entries]
    if missing is not None:
        handles.append(
            Patch(facecolor=MISSING_COLOUR, edgecolor=HATCH_EDGE, hatch=GREY_HATCH, label=_wrap(missing, width))
        )
    return handles


def draw_records(ax, points: gpd.GeoDataFrame) -> list[str]:
    """Records as points in their category's colour and shape, sample ones dashed; the
    category codes drawn, in CATEGORY_STYLE order (for the legend)."""
    category = points["soort"].map(vocab.category_of)
    sample = sample_mask(points).to_numpy()
    used: list[str] = []
    for code, (colour, shape) in CATEGORY_STYLE.items():
        mine = (category == code).to_numpy()
        if not mine.any():
            continue
        used.append(code)
        for fictional in (False, True):
            part = points[mine & (sample == fictional)]
            if part.empty:
                continue
            ax.scatter(
                part.geometry.x,
                part.geometry.y,
                s=22,
                marker=MARKERS[shape],
                c=colour,
                edgecolors="black",
                linewidths=0.9 if fictional else 0.6,
                linestyles="--" if fictional else "-",
                zorder=3,
            )
    return used


# --- The comparison's small maps ---------------------------------------------------


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
    including the area itself), the area outlined in black among its neighbours of the
    same level. `values` (by code) colour every area drawn, with one set of classes
    across every image, so the colours compare between areas."""
    drawn = pd.Index(sorted({code for frame in contexts.values() for code in frame["code"]}))
    classification = classify(values.reindex(drawn).astype(float), scheme, klassen)
    colours = class_colours(palette, len(classification.bins))
    fill: dict[str, str] = {
        str(code): colours[k] for code, k in classification.classes.items() if 0 <= k < len(colours)
    }
    legend, lower = [], classification.lower
    for colour, upper in zip(colours, classification.bins):
        legend.append((colour, f"{format_value(lower, unit, lang)} – {format_value(upper, unit, lang)}"))
        lower = upper
    images = {code: _small_map(code, frame, fill) for code, frame in contexts.items()}
    return SmallMaps(images, legend)


def _small_map(focus: str, frame: gpd.GeoDataFrame, fill: dict[str, str]) -> bytes:
    shapes = frame.to_crs(RD_NEW)
    own = shapes[shapes["code"] == focus]
    figure = _figure(IMAGE_INCHES, IMAGE_INCHES, IMAGE_DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_aspect("equal")
    draw_areas(axes, shapes, [fill.get(code) for code in shapes["code"]], edgecolor="#9a9a9a", linewidth=0.35)
    if not own.empty:
        own.boundary.plot(ax=axes, color="black", linewidth=2.2)
        west, south, east, north = own.total_bounds
        margin = max(max(east - west, north - south) * CONTEXT_MARGIN, CONTEXT_MIN_M)
        axes.set_xlim(west - margin, east + margin)
        axes.set_ylim(south - margin, north + margin)
    return _png(figure)


def legend_image(legend: list[tuple[str, str]], title: str = "", missing: str = "–") -> bytes:
    """The shared legend of the small maps (colour boxes with their class ranges, and
    `missing` for the hatched grey of areas without a figure), as PNG."""
    rows = (len(legend) + 3) // 3
    figure = _figure(5.6, 0.25 + 0.3 * rows + (0.3 if title else 0), IMAGE_DPI * 1.5)
    handles = class_handles(legend, missing, edgecolor="#999999", width=60)
    figure.legend(handles=handles, loc="center", ncol=3, frameon=False, fontsize=10, title=escape(title) or None)
    return _png(figure)


# --- The report's title-page map ---------------------------------------------------


def map_png(content, lang: str) -> bytes:
    """The map of a report (council.report.content.ReportContent) as PNG bytes: what
    Kaart draws (the same lean geometry, the classes and colours of
    explorer.model.choropleth, the records), the legend beside the map, never over it."""
    from matplotlib import rc_context

    with rc_context({"font.family": FONT}):
        figure = _figure(WIDTH, HEIGHT, REPORT_DPI)
        ax = figure.add_axes((0.0, 0.0, MAP_SHARE, 1.0))
        legend_ax = figure.add_axes((MAP_SHARE + 0.01, 0.0, 1 - MAP_SHARE - 0.01, 1.0))
        legend_ax.axis("off")
        areas: gpd.GeoDataFrame = content.areas.to_crs(3857)
        classes = areas["code"].map(content.classes).fillna(-1).astype(int)
        colours = content.choropleth.colours
        draw_areas(
            ax, areas, [colours[k] if 0 <= k < len(colours) else None for k in classes], "#444444", linewidth=0.3
        )
        if content.focus is not None and len(content.focus):
            focus = content.focus.to_crs(3857)
            focus.boundary.plot(ax=ax, color="white", linewidth=3.2)
            focus.boundary.plot(ax=ax, color="black", linewidth=1.6)
            _zoom_to(ax, focus.total_bounds, areas.total_bounds)
        else:
            _zoom_to(ax, areas.total_bounds, areas.total_bounds, pad=0.02)
        shown = content.shown
        used: list[str] = []
        if len(shown):
            points = gpd.GeoDataFrame(shown, geometry=gpd.points_from_xy(shown["lon"], shown["lat"]), crs=4326)
            used = draw_records(ax, points.to_crs(3857))
        ax.set_axis_off()
        _report_legend(legend_ax, content, used, lang)
        return _png(figure, REPORT_DPI)


def _zoom_to(ax, bounds, outer, pad: float = 0.6) -> None:
    """Frame `bounds` with `pad` of its size around it, within the `outer` bounds, at
    the map axes' aspect ratio (so nothing is stretched)."""
    west, south, east, north = bounds
    width, height = max(east - west, 1.0), max(north - south, 1.0)
    west, east = west - pad * width, east + pad * width
    south, north = south - pad * height, north + pad * height
    west, south = max(west, outer[0]), max(south, outer[1])
    east, north = min(east, outer[2]), min(north, outer[3])
    ratio = (MAP_SHARE * WIDTH) / HEIGHT
    width, height = east - west, north - south
    cx, cy = (west + east) / 2, (south + north) / 2
    if width / height > ratio:
        height = width / ratio
    else:
        width = height * ratio
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def _report_legend(ax, content, used: list[str], lang: str) -> None:
    from matplotlib.lines import Line2D

    choropleth = content.choropleth
    handles = class_handles(
        [(c.colour, c.label) for c in choropleth.legend_classes],
        choropleth.missing.label if choropleth.missing is not None else None,
    )
    top = ax.legend(
        handles=handles,
        title=_wrap(choropleth.legend_title) + "\n" + _wrap(choropleth.legend_subtitle),
        loc="upper left",
        frameon=False,
        fontsize=7,
        title_fontsize=7.5,
        alignment="left",
    )
    ax.add_artist(top)
    symbols = [
        Line2D(
            [],
            [],
            marker=MARKERS[CATEGORY_STYLE[code][1]],
            linestyle="",
            markerfacecolor=CATEGORY_STYLE[code][0],
            markeredgecolor="black",
            markersize=6,
            label=_wrap(vocab.label("categorie", code, lang)),
        )
        for code in used
    ]
    if content.sample:
        symbols.append(
            Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="black", markersize=6)
        )
        symbols[-1].set_label(_wrap(t("report_map_sample", lang)))
    if content.focus is not None and len(content.focus):
        symbols.append(Line2D([], [], color="black", linewidth=1.6, label=_wrap(content.area.naam)))
    if symbols:
        ax.legend(
            handles=symbols,
            title=t("provisions", lang),
            loc="lower left",
            bbox_to_anchor=(0.0, 0.08),
            frameon=False,
            fontsize=7,
            title_fontsize=7.5,
            alignment="left",
        )
    ax.text(0.0, 0.0, _wrap(t("report_map_credit", lang), 40), fontsize=6, va="bottom", transform=ax.transAxes)
