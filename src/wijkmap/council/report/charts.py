"""Verandering's cycle chart as images for the report: the Vega-Lite specs the page
draws (change.view.cycle_chart), rendered offline by vl-convert (its own Vega engine in
the process: nothing is fetched).

For paper the line chart also gets a dash pattern per category, so it reads in black
and white; the page's specs are copied, not changed."""

from __future__ import annotations

import copy
import json

import pandas as pd

WIDTH_PX = 620
SCALE = 2  # pixels per CSS pixel: sharp at print resolution
FONT = "DejaVu Sans"


def for_print(data: pd.DataFrame, spec: dict, first: bool) -> dict:
    """A copy of one cycle chart spec with its data inlined, page-wide, dashed lines in
    the first (line) chart, and the report's font."""
    spec = copy.deepcopy(spec)
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v5.json"  # a name only: never fetched
    spec["width"] = WIDTH_PX
    spec["data"] = {"values": json.loads(data.to_json(orient="records"))}
    if first:
        line = spec["layer"][1]["encoding"]
        domain = line["color"]["scale"]["domain"]
        line["strokeDash"] = {"field": "label", "type": "nominal", "title": None, "scale": {"domain": domain}}
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config["background"] = "white"
    return spec


def chart_pngs(charts: list[tuple[pd.DataFrame, dict]]) -> list[bytes]:
    """Each (data, spec) of change.view.cycle_chart as PNG bytes."""
    import vl_convert

    return [
        vl_convert.vegalite_to_png(for_print(data, spec, index == 0), scale=SCALE, allowed_base_urls=[])
        for index, (data, spec) in enumerate(charts)
    ]
