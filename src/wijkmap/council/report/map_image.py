"""The report's map as a static image, drawn with matplotlib (no browser, no tiles).

It uses what Kaart draws: the same lean geometry, the classes and colours of
explorer.model.choropleth, the records as points in their category's colour and shape
(core.style.CATEGORY_STYLE), fictional sample records with a dashed outline as on the
map. The legend stands beside the map, never over it. For black-and-white printing the
classes run light to dark, grey areas are hatched, and every category has its own shape.
"""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display; set before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from wijkmap.core import vocabulary as vocab  # noqa: E402
from wijkmap.core.i18n import t  # noqa: E402
from wijkmap.core.records import sample_mask  # noqa: E402
from wijkmap.core.style import CATEGORY_STYLE, MISSING_COLOUR  # noqa: E402

MARKERS = {"square": "s", "circle": "o", "diamond": "D", "triangle": "^", "hexagon": "h"}
DPI = 200
# Inches: the width of the printed page's text (A4 less margins) and the map's height.
WIDTH, HEIGHT = 6.9, 5.2
GREY_HATCH = "////"
FONT = "DejaVu Sans"


def map_png(content, lang: str) -> bytes:
    """The map of a report (content.ReportContent) as PNG bytes."""
    plt.rcParams["font.family"] = FONT
    figure = plt.figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    # The map on the left two thirds, the legend in its own axes to the right of it.
    ax = figure.add_axes((0.0, 0.0, 0.64, 1.0))
    legend_ax = figure.add_axes((0.65, 0.0, 0.35, 1.0))
    legend_ax.axis("off")
    choropleth = content.choropleth
    areas: gpd.GeoDataFrame = content.areas.to_crs(3857)
    classes = areas["code"].map(content.classes).fillna(-1).astype(int)
    colours = choropleth.colours
    fill = [colours[k] if 0 <= k < len(colours) else MISSING_COLOUR for k in classes]
    areas.plot(ax=ax, color=fill, edgecolor="#444444", linewidth=0.3)
    grey = areas[(classes < 0).to_numpy()]
    if len(grey):
        grey.plot(ax=ax, facecolor="none", edgecolor="#777777", hatch=GREY_HATCH, linewidth=0.0)
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
        points = gpd.GeoDataFrame(shown, geometry=gpd.points_from_xy(shown["lon"], shown["lat"]), crs=4326).to_crs(3857)
        category = points["soort"].map(vocab.category_of)
        sample = sample_mask(points).to_numpy()
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
    ax.set_axis_off()
    _legend(legend_ax, content, used, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _zoom_to(ax, bounds, outer, pad: float = 0.6) -> None:
    """Frame `bounds` with `pad` of its size around it, within the `outer` bounds, at
    the map axes' aspect ratio (so nothing is stretched)."""
    west, south, east, north = bounds
    width, height = max(east - west, 1.0), max(north - south, 1.0)
    west, east = west - pad * width, east + pad * width
    south, north = south - pad * height, north + pad * height
    west, south = max(west, outer[0]), max(south, outer[1])
    east, north = min(east, outer[2]), min(north, outer[3])
    ratio = (0.64 * WIDTH) / HEIGHT
    width, height = east - west, north - south
    cx, cy = (west + east) / 2, (south + north) / 2
    if width / height > ratio:
        height = width / ratio
    else:
        width = height * ratio
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)


def _legend(ax, content, used: list[str], lang: str) -> None:
    choropleth = content.choropleth
    handles = [Patch(facecolor=c.colour, edgecolor="#444444", label=_wrap(c.label)) for c in choropleth.legend_classes]
    if choropleth.missing is not None:
        handles.append(
            Patch(
                facecolor=MISSING_COLOUR, edgecolor="#777777", hatch=GREY_HATCH, label=_wrap(choropleth.missing.label)
            )
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


def _wrap(text: str, width: int = 34) -> str:
    """Break legend text into lines that fit beside the map, shown literally: matplotlib
    reads text between two $ as a formula, so every $ is escaped."""
    import textwrap

    return ("\n".join(textwrap.wrap(text, width)) or text).replace("$", r"\$")
