"""The change map's Leaflet layers (page Verandering): status symbols, succession
lines, areas by net change, and their legend.

The areas' geometry goes into the map once (ChangeAreas); what a period changes (area
colours, status symbols, succession lines, the legend) goes into the overlay, which
streamlit-folium swaps in place, so moving the period does not rebuild the map. The
escaping and rendering rules are map.layers'; the code is in map/static/wijkmap-map.js.
"""

from __future__ import annotations

import math

from wijkmap.core import vocabulary as vocab
from wijkmap.core.geometry import script_json
from wijkmap.core.i18n import t
from wijkmap.core.style import MISSING_COLOUR, LegendClass
from wijkmap.map.layers import ScriptedLayer, StyleSheet, escape_text, legend_rows, table

# Okabe-Ito colours and a shape and glyph per status: readable with any common colour-
# vision deficiency, and in grey on a washed-out projector.
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "verdwenen": ("#D55E00", "square", "cross"),
    "teruggekeerd": ("#0072B2", "diamond", "return"),
    "verhuisd": ("#E69F00", "hexagon", "arrow"),
    "nieuw": ("#009E73", "triangle", "plus"),
    "blijvend": ("#7A7A7A", "circle", ""),
}
SUCCESSION_COLOUR = "#0072B2"
# The change legend's width beside the map, in pixels (it holds the status grid).
LEGEND_WIDTH = 300
MOVE_COLOUR = "#B36B00"  # darker than the verhuisd symbol, so the dashed line reads on light areas


def status_svg(status: str, size: int = 24, sample: bool = False) -> str:
    """The symbol of a status as SVG: shape and colour, a white glyph; dashed outline
    for fictional sample records (as on the map explorer)."""
    colour, shape, glyph = STATUS_STYLE[status]
    s, h = size, size / 2
    shapes = {
        "square": f'<rect x="2" y="2" width="{s - 4}" height="{s - 4}" rx="2"/>',
        "diamond": f'<polygon points="{h},1 {s - 1},{h} {h},{s - 1} 1,{h}"/>',
        "triangle": f'<polygon points="{h},1 {s - 1},{s - 2} 1,{s - 2}"/>',
        "hexagon": '<polygon points="'
        + " ".join(
            f"{x * (s - 2) + 1:.1f},{y * (s - 2) + 1:.1f}"
            for x, y in ((0.25, 0.05), (0.75, 0.05), (1, 0.5), (0.75, 0.95), (0.25, 0.95), (0, 0.5))
        )
        + '"/>',
        "circle": f'<circle cx="{h}" cy="{h}" r="{h - 2}"/>',
    }
    a, b, cy = s * 0.34, s * 0.66, s * 0.62 if shape == "triangle" else h
    glyphs = {
        "cross": f'<path d="M{a} {a}L{b} {b}M{b} {a}L{a} {b}"/>',
        "plus": f'<path d="M{h} {cy - s * 0.17}V{cy + s * 0.17}M{h - s * 0.17} {cy}H{h + s * 0.17}"/>',
        "arrow": f'<path d="M{s * 0.28} {h}H{s * 0.7}M{s * 0.52} {s * 0.33}L{s * 0.7} {h}L{s * 0.52} {s * 0.67}"/>',
        "return": f'<path d="M{h + s * 0.16} {h}A{s * 0.16} {s * 0.16} 0 1 1 {h} {h - s * 0.16}"/>'
        f'<path d="M{h - s * 0.05} {h - s * 0.27}L{h + s * 0.06} {h - s * 0.16}L{h - s * 0.05} {h - s * 0.05}"/>',
        "": "",
    }
    outline = (
        'stroke="#000" stroke-width="1.6" stroke-dasharray="3 2"' if sample else 'stroke="#fff" stroke-width="1.6"'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}" aria-hidden="true">'
        f'<g fill="{colour}" {outline}>{shapes[shape]}</g>'
        f'<g fill="none" stroke="#fff" stroke-width="{max(2.0, s / 10):.1f}" stroke-linecap="round" '
        f'stroke-linejoin="round">{glyphs[glyph]}</g></svg>'
    )


class ChangeStyles(StyleSheet):
    """The CSS of the change map's legend and symbols (static/change-map.css), in the
    map's header: sent once, not with every period."""

    def __init__(self):
        super().__init__("change-map.css")
        self._name = "ChangeStyles"


class ChangeAreas(ScriptedLayer):
    """The areas of the change map, drawn once in a neutral colour; ChangeAreaColours
    (in the overlay) colours them for the chosen period. Clickable (an area's code is
    returned as the feature's property `c`); its name `n` is plain text."""

    call = "changeAreas"

    def __init__(self, geojson: str):
        super().__init__()
        self._name = "ChangeAreas"
        # Compact, script-safe GeoJSON (geometry.lean_geojson) with c and n, or the
        # reference to it as a served file (wijkmap.map.served).
        self.args = (geojson,)


class ChangeAreaColours(ScriptedLayer):
    """Colours the ChangeAreas: `info` maps an area code to [class, tooltip text]; class
    -1 is drawn grey and dashed (no provisions, or not compared). Text is escaped here."""

    call = "changeAreaColours"

    def __init__(
        self, info: dict[str, tuple[int, str]], colours: list[str], selected: str | None = None, opacity: float = 0.62
    ):
        super().__init__()
        self._name = "ChangeAreaColours"
        self.info = {code: [int(k), escape_text(text)] for code, (k, text) in info.items()}
        self.args = (
            script_json(
                {
                    "info": self.info,
                    "colours": colours,
                    "selected": selected,
                    "missing": MISSING_COLOUR,
                    "opacity": opacity,
                }
            ),
        )


class SuccessionLayer(ScriptedLayer):
    """Lines from a closed provision to its successor, with an arrowhead halfway: solid
    blue for a successor, dashed brown-orange for a move. Each item is a dict with
    van (lat, lon), naar (lat, lon), verhuizing (bool) and tekst (tooltip, escaped here).
    Links within one building (same point) have no length: the two symbols are drawn
    side by side instead (StatusLayer) with an arrow between them."""

    call = "successions"
    LINE_FIELDS = ("lat1", "lon1", "lat2", "lon2", "verhuizing", "tekst", "zelfde_plek", "hoek")

    def __init__(self, lines: list[dict]):
        super().__init__()
        self._name = "SuccessionLayer"
        rows = []
        for line in lines:
            (lat1, lon1), (lat2, lon2) = line["van"], line["naar"]
            rows.append(
                {
                    "lat1": round(float(lat1), 6),
                    "lon1": round(float(lon1), 6),
                    "lat2": round(float(lat2), 6),
                    "lon2": round(float(lon2), 6),
                    "verhuizing": 1 if line.get("verhuizing") else 0,
                    "tekst": escape_text(line.get("tekst", "")),
                    "zelfde_plek": 1 if line.get("zelfde_plek") else 0,
                    "hoek": _screen_angle(lat1, lon1, lat2, lon2),
                }
            )
        self.lines = table(self.LINE_FIELDS, rows)
        self.args = (script_json({"lines": self.lines, "colour": SUCCESSION_COLOUR, "moveColour": MOVE_COLOUR}),)


def _screen_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The direction from point 1 to 2 on a Web Mercator map, in degrees clockwise from east."""

    def mercator(lat):
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    dx, dy = float(lon2) - float(lon1), mercator(float(lat2)) - mercator(float(lat1))
    return round(math.degrees(math.atan2(-dy, dx)), 1) if dx or dy else 0.0


class StatusLayer(ScriptedLayer):
    """Provisions as symbols of their status over a period, each with an escaped popup:
    name, soort, status, years and its succession ("opgevolgd door … (jaar)",
    "opvolger van … (jaar)"). Not clustered: a period's story is in where they stand.

    Each marker is a dict: lat, lon, status, naam, soort (code), jaren, bron, sample,
    verschuiving (-1/0/1: drawn a little left/right of its point, for two symbols in one
    building), relaties [(label, naam, datum)], notities [text]. All text is escaped here."""

    call = "statuses"
    # Index of a relation label; change.view passes these names.
    RELATIONS = ("opgevolgd_door", "opvolger_van", "verhuisd_naar", "verhuisd_van", "later_opgevolgd_door", "nu")
    MARKER_FIELDS = (
        "lat",
        "lon",
        "status",
        "voorbeeld",
        "verschuiving",
        "naam",
        "soort",
        "jaren",
        "bron",
        "relaties",
        "notities",
    )

    def __init__(self, markers: list[dict], labels: dict, lang: str = "nl", size: int = 22, small: int = 14):
        """`labels`: 'period' (e.g. '2005–2020'), 'sample', 'bron', and 'relations' with
        the text of each RELATIONS name."""
        super().__init__()
        self._name = "StatusLayer"
        statuses = list(STATUS_STYLE)
        soorten = list(vocab.SOORTEN)
        rows = []
        for marker in markers:
            rows.append(
                {
                    "lat": round(float(marker["lat"]), 6),
                    "lon": round(float(marker["lon"]), 6),
                    "status": statuses.index(marker["status"]),
                    "voorbeeld": 1 if marker.get("sample") else 0,
                    "verschuiving": int(marker.get("verschuiving", 0)),
                    "naam": escape_text(marker["naam"]),
                    "soort": soorten.index(marker["soort"]) if marker["soort"] in soorten else 0,
                    "jaren": escape_text(marker.get("jaren", "")),
                    "bron": escape_text(marker.get("bron", "")),
                    "relaties": [
                        [self.RELATIONS.index(kind), escape_text(name), escape_text(date)]
                        for kind, name, date in marker.get("relaties", [])
                    ],
                    "notities": [escape_text(note) for note in marker.get("notities", [])],
                }
            )
        self.markers = table(self.MARKER_FIELDS, rows)
        self.args = (
            script_json(
                {
                    "icons": [
                        [
                            status_svg(s, size if s != "blijvend" else small),
                            status_svg(s, size if s != "blijvend" else small, sample=True),
                        ]
                        for s in statuses
                    ],
                    "labels": {
                        "statuses": [[s, escape_text(vocab.label("status", s, lang))] for s in statuses],
                        "relations": [escape_text(labels["relations"][name]) for name in self.RELATIONS],
                        "period": escape_text(labels.get("period", "")),
                        "sample": escape_text(labels.get("sample", t("sample_banner", lang))),
                        "bron": escape_text(labels.get("bron", t("source", lang))),
                    },
                    "soorten": [escape_text(vocab.label("soort", code, lang)) for code in soorten],
                    "quiet": statuses.index("blijvend"),
                    "size": size,
                    "small": small,
                    # Changes on top of what stayed.
                    "z": [
                        {"verdwenen": 400, "teruggekeerd": 300, "verhuisd": 300, "nieuw": 200}.get(s, 0)
                        for s in statuses
                    ],
                    "markers": self.markers,
                }
            ),
        )


class ChangeLegend(ScriptedLayer):
    """The change map's legend, in the overlay: it follows the period without rebuilding
    the map. It replaces the previous one (a Leaflet control is not a layer, so removing
    the old overlay would leave it). `statuses` are (code, count) pairs to list."""

    call = "legend"

    def __init__(
        self,
        title: str,
        subtitle: str,
        classes: list[LegendClass],
        missing: LegendClass | None,
        statuses: list[tuple[str, int]],
        lines: list[tuple[str, bool]],
        source: str,
        lang: str = "nl",
    ):
        super().__init__()
        self._name = "ChangeLegend"
        symbols = "".join(
            f'<div class="wm-row">{status_svg(code, 18)}{escape_text(vocab.label("status", code, lang))} ({count})</div>'
            for code, count in statuses
        )
        line_rows = "".join(
            f'<div class="wm-row"><span class="wm-line" style="border-top-color:{MOVE_COLOUR if move else SUCCESSION_COLOUR};'
            f'{"border-top-style:dashed;" if move else ""}"></span>{escape_text(label)}</div>'
            for label, move in lines
        )
        self.content = (
            f"<details open><summary><h4>{escape_text(title)}</h4></summary>"
            f"<div class='wm-sub'>{escape_text(subtitle)}</div><div class='wm-classes'>{legend_rows(classes, None)}</div>"
            f"{legend_rows([], missing)}"
            + (f"<div class='wm-grid' style='margin-top:6px'>{symbols}</div>" if symbols else "")
            + (f"<div style='margin-top:4px'>{line_rows}</div>" if line_rows else "")
            + f"<div class='wm-src'>{escape_text(source)}</div></details>"
        )
        self.args = (
            script_json(self.content),
            script_json({"className": "wm-legend wm-change-legend", "replace": "wijkmapChangeLegend"}),
        )

    def target(self) -> str:
        return self._parent._parent.get_name()  # the map the overlay is on
