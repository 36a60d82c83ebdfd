"""The change map's Leaflet layers (page Verandering): status symbols, succession
lines, areas by net change, and their legend.

The areas' geometry goes into the map once (ChangeAreas); what a period changes (area
colours, status symbols, succession lines, the legend) goes into the overlay, which
streamlit-folium swaps in place, so moving the period does not rebuild the map. The
escaping and rendering rules are mapview's.
"""

from __future__ import annotations

import math

from jinja2 import Template

from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.map.layers import (
    MISSING_COLOUR,
    LayerElement,
    LegendClass,
    escape_text,
    legend_frame_css,
    script_json,
)

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
MOVE_COLOUR = "#B36B00"  # darker than the verhuisd symbol, so the dashed line reads on light areas
# ColorBrewer PuOr (colour-blind safe, diverging): orange = fewer, purple = more.
DIVERGING = {
    6: ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
}


def status_svg(status: str, size: int = 24, sample: bool = False) -> str:
    """The symbol of a status as SVG: shape and colour, a white glyph; dashed outline
    for fictional sample records (as on the map explorer)."""
    colour, shape, glyph = STATUS_STYLE[status]
    s, h = size, size / 2
    shapes = {
        "square": f'<rect x="2" y="2" width="{s - 4}" height="{s - 4}" rx="2"/>',
        "diamond": f'<polygon points="{h},1 {s - 1},{h} {h},{s - 1} 1,{h}"/>',
        "triangle": f'<polygon points="{h},1 {s - 1},{s - 2} 1,{s - 2}"/>',
        "hexagon": "<polygon points=\"" + " ".join(
            f"{x * (s - 2) + 1:.1f},{y * (s - 2) + 1:.1f}"
            for x, y in ((0.25, 0.05), (0.75, 0.05), (1, 0.5), (0.75, 0.95), (0.25, 0.95), (0, 0.5))
        ) + '"/>',
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
    outline = 'stroke="#000" stroke-width="1.6" stroke-dasharray="3 2"' if sample else 'stroke="#fff" stroke-width="1.6"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}" aria-hidden="true">'
        f'<g fill="{colour}" {outline}>{shapes[shape]}</g>'
        f'<g fill="none" stroke="#fff" stroke-width="{max(2.0, s / 10):.1f}" stroke-linecap="round" '
        f'stroke-linejoin="round">{glyphs[glyph]}</g></svg>'
    )


class ChangeStyles(LayerElement):
    """The CSS of the change map's legend and symbols (in the map's header, sent once)."""

    _template = Template(
        """{% macro header(this, kwargs) %}
        <style>
          {{ this.frame_css }}
          .wm-legend .wm-row { display: flex; align-items: center; gap: 5px; margin: 1px 0; }
          .wm-legend .wm-grid { display: grid; grid-template-columns: auto auto; column-gap: 10px; }
          .wm-change-legend { font-size: 13px; line-height: 1.25; }
          .wm-change-legend .wm-classes i { height: 11px; }
          .wm-legend .wm-line { display: inline-block; width: 26px; border-top: 3px solid; margin-right: 2px; }
          .wm-status, .wm-arrow { background: none; border: none; }
          .wm-status svg { filter: drop-shadow(0 0 1px rgba(0,0,0,0.6)); }
          .wm-sample-banner { background: #fff3cd; border: 1px dashed #8a6d3b; padding: 2px 6px; margin-bottom: 4px;
                              font-weight: 700; color: #5c4400; }
          .wm-rel { margin: 2px 0; }
          .wm-note { color: #444; font-style: italic; }
        </style>
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ChangeStyles"
        self.frame_css = legend_frame_css(1.0, 300)


class ChangeAreas(LayerElement):
    """The areas of the change map, drawn once in a neutral colour; ChangeAreaColours
    (in the overlay) colours them for the chosen period. Clickable (an area's code is
    returned as the feature's property `c`)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var layer = L.geoJson({{ this.data }}, {
            style: function () { return {fillColor: "#eeeeee", fillOpacity: 0.4, color: "#4d4d4d", weight: 1}; },
            onEachFeature: function (f, l) {
              l.bindTooltip(function () {
                var info = (window.wijkmapChangeInfo || {})[f.properties.c];
                return "<b>" + f.properties.n + "</b>" + (info ? "<br>" + info[1] : "");
              }, {sticky: true, className: "wm-tip"});
            }
          });
          layer.addTo({{ this._parent.get_name() }});
          window.wijkmapChangeAreas = layer;
        })();
        {% endmacro %}"""
    )

    def __init__(self, geojson: str):
        super().__init__()
        self._name = "ChangeAreas"
        self.data = geojson  # compact, escaped JSON (geometry.lean_geojson) with c and n


class ChangeAreaColours(LayerElement):
    """Colours the ChangeAreas: `info` maps an area code to [class, tooltip text]; class
    -1 is drawn grey and dashed (no provisions, or not compared). Text is escaped here."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var info = {{ this.info }}, colours = {{ this.colours }}, selected = {{ this.selected }};
          window.wijkmapChangeInfo = info;
          var layer = window.wijkmapChangeAreas;
          if (!layer) { return; }
          layer.eachLayer(function (l) {
            var code = l.feature.properties.c, item = info[code], k = item ? item[0] : -1, chosen = code === selected;
            l.setStyle({fillColor: k < 0 ? {{ this.missing|tojson }} : colours[k], fillOpacity: {{ this.opacity }},
                        color: chosen ? "#000000" : "#4d4d4d", weight: chosen ? 4 : 1, dashArray: k < 0 ? "4 3" : null});
          });
        })();
        {% endmacro %}"""
    )

    def __init__(self, info: dict[str, tuple[int, str]], colours: list[str], selected: str | None = None,
                 opacity: float = 0.62):
        super().__init__()
        self._name = "ChangeAreaColours"
        self.info = script_json({code: [int(k), escape_text(text)] for code, (k, text) in info.items()})
        self.colours = script_json(colours)
        self.selected = script_json(selected)
        self.missing = MISSING_COLOUR
        self.opacity = opacity


class SuccessionLayer(LayerElement):
    """Lines from a closed provision to its successor, with an arrowhead halfway: solid
    blue for a successor, dashed brown-orange for a move. Each item is a dict with
    van (lat, lon), naar (lat, lon), verhuizing (bool) and tekst (tooltip, escaped here).
    Links within one building (same point) have no length: the two symbols are drawn
    side by side instead (StatusLayer) with an arrow between them."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var lines = {{ this.lines }};
          var target = {{ this._parent.get_name() }};
          function head(colour, angle, size) {
            var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" style="transform:rotate(' + angle + 'deg)">' +
              '<polygon points="' + (size - 1) + ',' + (size / 2) + ' 2,2 ' + (size * 0.3) + ',' + (size / 2) + ' 2,' + (size - 2) + '" fill="' + colour + '" stroke="#fff" stroke-width="1"/></svg>';
            return L.divIcon({html: svg, className: "wm-arrow", iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
          }
          lines.forEach(function (r) {
            var colour = r[4] ? {{ this.move_colour|tojson }} : {{ this.colour|tojson }};
            if (r[6]) {
              L.marker([r[0], r[1]], {icon: head(colour, 0, 11), interactive: false, keyboard: false, zIndexOffset: 1000}).addTo(target);
              return;
            }
            var line = L.polyline([[r[0], r[1]], [r[2], r[3]]], {
              color: colour, weight: 3, opacity: 0.9, dashArray: r[4] ? "7 5" : null,
              className: "wm-succession" + (r[4] ? " wm-move" : "")
            });
            line.bindTooltip(r[5], {sticky: true});
            line.addTo(target);
            var mid = [r[0] + (r[2] - r[0]) * 0.55, r[1] + (r[3] - r[1]) * 0.55];
            L.marker(mid, {icon: head(colour, r[7], 16), interactive: false, keyboard: false}).addTo(target);
          });
        })();
        {% endmacro %}"""
    )

    def __init__(self, lines: list[dict]):
        super().__init__()
        self._name = "SuccessionLayer"
        rows = []
        for line in lines:
            (lat1, lon1), (lat2, lon2) = line["van"], line["naar"]
            same_place = bool(line.get("zelfde_plek"))
            rows.append([
                round(float(lat1), 6), round(float(lon1), 6), round(float(lat2), 6), round(float(lon2), 6),
                1 if line.get("verhuizing") else 0, escape_text(line.get("tekst", "")), 1 if same_place else 0,
                _screen_angle(lat1, lon1, lat2, lon2),
            ])
        self.lines = script_json(rows)
        self.colour = SUCCESSION_COLOUR
        self.move_colour = MOVE_COLOUR


def _screen_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The direction from point 1 to 2 on a Web Mercator map, in degrees clockwise from east."""

    def mercator(lat):
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    dx, dy = float(lon2) - float(lon1), mercator(float(lat2)) - mercator(float(lat1))
    return round(math.degrees(math.atan2(-dy, dx)), 1) if dx or dy else 0.0


class StatusLayer(LayerElement):
    """Provisions as symbols of their status over a period, each with an escaped popup:
    name, soort, status, years and its succession ("opgevolgd door … (jaar)",
    "opvolger van … (jaar)"). Not clustered: a period's story is in where they stand.

    Each marker is a dict: lat, lon, status, naam, soort (code), jaren, bron, sample,
    verschuiving (-1/0/1: drawn a little left/right of its point, for two symbols in one
    building), relaties [(label, naam, datum)], notities [text]. All text is escaped here."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var icons = {{ this.icons }}, labels = {{ this.labels }}, soorten = {{ this.soorten }};
          var rows = {{ this.rows }};
          var target = {{ this._parent.get_name() }};
          rows.forEach(function (r) {
            var status = labels.statuses[r[2]], size = r[2] === {{ this.quiet }} ? {{ this.small }} : {{ this.size }};
            var h = size / 2, shift = r[4] * (size * 0.8);
            var icon = L.divIcon({html: icons[r[2]][r[3]], className: "wm-status wm-status-" + status[0] + (r[3] ? " wm-sample" : ""),
                                  iconSize: [size, size], iconAnchor: [h - shift, h], popupAnchor: [shift, -h]});
            var parts = [];
            if (r[3]) parts.push('<div class="wm-sample-banner">' + labels.sample + '</div>');
            parts.push('<b class="wm-name">' + r[5] + '</b><br><span>' + soorten[r[6]] + (r[7] ? ' · ' + r[7] : '') + '</span>');
            parts.push('<div class="wm-rel"><b>' + status[1] + '</b> ' + labels.period + '</div>');
            r[9].forEach(function (x) {
              parts.push('<div class="wm-rel">' + labels.relations[x[0]] + ' <b>' + x[1] + '</b>' + (x[2] ? ' (' + x[2] + ')' : '') + '</div>');
            });
            r[10].forEach(function (note) { parts.push('<div class="wm-note">' + note + '</div>'); });
            if (r[8]) parts.push('<div class="wm-note">' + labels.bron + ': ' + r[8] + '</div>');
            var m = L.marker([r[0], r[1]], {icon: icon, keyboard: true, zIndexOffset: {{ this.z }}[r[2]]});
            m.bindPopup(parts.join(''), {maxWidth: 340});
            m.bindTooltip(r[5] + ' — ' + status[1], {direction: "top"});
            m.addTo(target);
          });
        })();
        {% endmacro %}"""
    )

    # Index of a relation label; change_view passes these names.
    RELATIONS = ("opgevolgd_door", "opvolger_van", "verhuisd_naar", "verhuisd_van", "later_opgevolgd_door", "nu")

    def __init__(self, markers: list[dict], labels: dict, lang: str = "nl", size: int = 22, small: int = 14):
        """`labels`: 'period' (e.g. '2005–2020'), 'sample', 'bron', and 'relations' with
        the text of each RELATIONS name."""
        super().__init__()
        self._name = "StatusLayer"
        statuses = list(STATUS_STYLE)
        soorten = list(vocab.SOORTEN)
        self.icons = script_json([[status_svg(s, size if s != "blijvend" else small), status_svg(s, size if s != "blijvend" else small, sample=True)]
                            for s in statuses])
        self.labels = script_json({
            "statuses": [[s, escape_text(vocab.label("status", s, lang))] for s in statuses],
            "relations": [escape_text(labels["relations"][name]) for name in self.RELATIONS],
            "period": escape_text(labels.get("period", "")),
            "sample": escape_text(labels.get("sample", t("sample_banner", lang))),
            "bron": escape_text(labels.get("bron", t("source", lang))),
        })
        self.soorten = script_json([escape_text(vocab.label("soort", code, lang)) for code in soorten])
        self.quiet = statuses.index("blijvend")
        self.size, self.small = size, small
        # Changes on top of what stayed.
        self.z = script_json([{"verdwenen": 400, "teruggekeerd": 300, "verhuisd": 300, "nieuw": 200}.get(s, 0) for s in statuses])
        rows = []
        for marker in markers:
            rows.append([
                round(float(marker["lat"]), 6), round(float(marker["lon"]), 6),
                statuses.index(marker["status"]), 1 if marker.get("sample") else 0,
                int(marker.get("verschuiving", 0)), escape_text(marker["naam"]),
                soorten.index(marker["soort"]) if marker["soort"] in soorten else 0,
                escape_text(marker.get("jaren", "")), escape_text(marker.get("bron", "")),
                [[self.RELATIONS.index(kind), escape_text(name), escape_text(date)] for kind, name, date in marker.get("relaties", [])],
                [escape_text(note) for note in marker.get("notities", [])],
            ])
        self.rows = script_json(rows)


class ChangeLegend(LayerElement):
    """The change map's legend, in the overlay: it follows the period without rebuilding
    the map. It replaces the previous one (a Leaflet control is not a layer, so removing
    the old overlay would leave it). `statuses` are (code, count) pairs to list."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent._parent.get_name() }};
          if (window.wijkmapChangeLegend) { window.wijkmapChangeLegend.remove(); }
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "wm-legend wm-change-legend");
            div.innerHTML = {{ this.content|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          legend.addTo(map);
          window.wijkmapChangeLegend = legend;
        })();
        {% endmacro %}"""
    )

    def __init__(self, title: str, subtitle: str, classes: list[LegendClass], missing: LegendClass | None,
                 statuses: list[tuple[str, int]], lines: list[tuple[str, bool]], source: str, lang: str = "nl"):
        super().__init__()
        self._name = "ChangeLegend"
        rows = [f'<div><i style="background:{c.colour}"></i>{escape_text(c.label)}</div>' for c in classes]
        missing_row = (f'<div><i class="wm-missing" style="background:{missing.colour}"></i>{escape_text(missing.label)}</div>'
                       if missing else "")
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
            f"<div class='wm-sub'>{escape_text(subtitle)}</div><div class='wm-classes'>{''.join(rows)}</div>{missing_row}"
            + (f"<div class='wm-grid' style='margin-top:6px'>{symbols}</div>" if symbols else "")
            + (f"<div style='margin-top:4px'>{line_rows}</div>" if line_rows else "")
            + f"<div class='wm-src'>{escape_text(source)}</div></details>"
        )
