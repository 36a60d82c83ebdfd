"""Verandering's cycle chart as images for the report: the Vega-Lite specs the page
draws (change.view.cycle_chart), rendered offline by vl-convert (its own Vega engine in
the process: nothing is fetched).

For paper the charts must read in black and white, where the category colours are
nearly alike: each category gets a number ("1 Klassiek", ...) in both legends, the line
chart a dash pattern per category, and the bar chart's stacked bars carry their
category's number on the bar (with an outline between the parts). The page's specs are
copied, not changed."""

from __future__ import annotations

import copy
import json

import pandas as pd

WIDTH_PX = 620
SCALE = 2  # pixels per CSS pixel: sharp at print resolution
FONT = "DejaVu Sans"
BAR_PX = 16  # the widest a year's bar gets on paper (wide enough for its number)


def numbered(label: str, number: int) -> str:
    """A category's label as the printed charts show it: its number first."""
    return f"{number} {label}"


def for_print(data: pd.DataFrame, spec: dict, first: bool) -> dict:
    """A copy of one cycle chart spec with its data inlined, page-wide, the categories
    numbered, dashed lines in the first (line) chart and numbered bars in the second,
    and the report's font."""
    spec = copy.deepcopy(spec)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v5.json"  # a name only: never fetched
    spec["width"] = WIDTH_PX
    marks = spec["layer"][1]
    colour = marks["encoding"]["color"]["scale"]
    numbers = {label: index + 1 for index, label in enumerate(colour["domain"])}
    ink = {label: _ink(fill) for label, fill in zip(colour["domain"], colour["range"])}
    data = data.assign(
        nummer=data["label"].map(numbers).astype(str),
        ink=data["label"].map(ink),
        label=[numbered(label, numbers[label]) for label in data["label"]],
    )
    colour["domain"] = [numbered(label, number) for label, number in numbers.items()]
    if first:
        marks["encoding"]["strokeDash"] = {
            "field": "label",
            "type": "nominal",
            "title": None,
            "scale": {"domain": colour["domain"]},
        }
    else:
        spec["layer"][1] = _numbered_bars(marks, len(data["jaar"].unique()) if len(data) else 1)
    spec["data"] = {"values": json.loads(data.to_json(orient="records"))}
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config["background"] = "white"
    return spec


def _numbered_bars(bars: dict, years: int) -> dict:
    """The stacked bars as bar parts with explicit bounds (stacked per year, openings up
    and closings down), and the category's number in the middle of each part."""
    encoding = bars["encoding"]
    y = {key: encoding["y"][key] for key in ("title", "axis") if key in encoding["y"]}
    x = encoding["x"]
    width = max(4, min(BAR_PX, round(WIDTH_PX / max(years, 1) * 0.7)))
    return {
        "transform": [
            {"calculate": "datum.aantal < 0 ? 'dicht' : 'open'", "as": "kant"},
            {
                "aggregate": [{"op": "sum", "field": "aantal", "as": "aantal"}],
                "groupby": ["jaar", "label", "nummer", "ink", "kant"],
            },
            {"stack": "aantal", "groupby": ["jaar", "kant"], "sort": [{"field": "label"}], "as": ["y0", "y1"]},
            {"calculate": "(datum.y0 + datum.y1) / 2", "as": "midden"},
        ],
        "layer": [
            {
                "mark": {"type": "bar", "size": width, "stroke": "black", "strokeWidth": 0.6},
                "encoding": {
                    "x": x,
                    "y": {"field": "y0", "type": "quantitative", **y},
                    "y2": {"field": "y1"},
                    "color": encoding["color"],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 8, "baseline": "middle"},
                "encoding": {
                    "x": x,
                    "y": {"field": "midden", "type": "quantitative"},
                    "text": {"field": "nummer"},
                    "color": {"field": "ink", "type": "nominal", "scale": None, "legend": None},
                },
            },
        ],
    }


def _ink(fill: str) -> str:
    """Black or white, whichever reads on `fill` (#rrggbb)."""
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45 else "white"


def chart_pngs(charts: list[tuple[pd.DataFrame, dict]]) -> list[bytes]:
    """Each (data, spec) of change.view.cycle_chart as PNG bytes."""
    import vl_convert

    return [
        vl_convert.vegalite_to_png(for_print(data, spec, index == 0), scale=SCALE, allowed_base_urls=[])
        for index, (data, spec) in enumerate(charts)
    ]
