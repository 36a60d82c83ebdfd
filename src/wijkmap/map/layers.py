"""Building the folium map: choropleth, record symbols, service areas, legend.

Everything drawn is prepared elsewhere (analysis computes values and classes, geometry
makes the GeoJSON lean); this module only turns it into Leaflet layers. The layers are
small hand-written Leaflet snippets rather than folium's generic GeoJson/Marker classes,
because those embed a style or a popup per feature and would send several times more
data. User text reaches the browser HTML-escaped, and JSON is embedded so that no
string can close the <script> it sits in.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import folium
import folium.plugins
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import is_sample
from wijkmap.map import assets

# Sequential ColorBrewer single-hue schemes (9 classes; fewer classes take an even
# spread) are safe for colour-blind readers; 'contrast' is viridis for projectors.
PALETTES: dict[str, list[str]] = {
    "blauw": ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
    "oranje": ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#a63603", "#7f2704"],
    "paars": ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
    "groen": ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"],
    "contrast": ["#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878"],
}
MISSING_COLOUR = "#d9d9d9"
SURROUNDINGS_STYLE = {"color": "#8c8c8c", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 0.8}

# Okabe-Ito colours (distinguishable with every common colour-vision deficiency) and
# a shape per category, so a symbol reads even in grey on a washed-out projector.
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "klassiek": ("#E69F00", "square"),
    "popup": ("#009E73", "circle"),
    "professioneel": ("#0072B2", "diamond"),
    "religieus": ("#CC79A7", "triangle"),
    "initiatief": ("#D55E00", "hexagon"),
}
SOORT_ABBREVIATIONS = {
    "buurthuis": "BH", "bibliotheek": "Bi", "bejaardenhuis": "BJ", "huis_van_de_wijk": "HW",
    "repair_cafe": "RC", "buurtrestaurant": "BR", "naaiatelier": "NA", "wijkwerkplaats": "WW",
    "kringloopwinkel": "KL", "voedselbank": "VB", "koffiehoek": "KH", "broedplaats": "BP",
    "wijkteam": "WT", "wijkagent": "WA", "wijkpastoraat": "WP", "kerk": "K", "moskee": "M",
    "religieuze_organisatie": "RO", "bewonersinitiatief": "BI", "community_art": "CA",
    "dementievriendelijk": "DV", "ontvangende_buurt": "OB",
}


def class_colours(palette: str, classes: int) -> list[str]:
    """`classes` colours spread evenly over the 9-step palette, light to dark."""
    steps = PALETTES[palette]
    if classes <= 1:
        return [steps[-3]]
    return [steps[round(i * (len(steps) - 1) / (classes - 1))] for i in range(classes)]


def script_json(value) -> str:
    """JSON to embed in a <script>: compact, and no "<" that could close the tag."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def escape_text(text) -> str:
    """User or source text made safe for the page: HTML-escaped, and with braces as
    entities so no template syntax survives in it."""
    escaped = html.escape("" if text is None else str(text), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


_e = escape_text


# --- base map ------------------------------------------------------------------------


# Room kept free of areas when fitting the map, so the legend (bottom right) does not
# cover them: (right, bottom) in pixels.
LEGEND_ROOM = (190, 10)


def base_map(bounds: list[list[float]], tiles: str | None, sources: str,
             legend_room: tuple[int, int] = LEGEND_ROOM) -> folium.Map:
    """An offline map fitted to `bounds` ([[south, west], [north, east]]).

    `tiles` is the basemap URL template (None: no basemap); `sources` is the credit
    for the data drawn on top. The container has a light background, so without
    tiles (no network) the areas still read as a map. `legend_room` is kept free for
    the legend (a larger legend in presentation mode needs more)."""
    tile_layer = (
        folium.TileLayer(tiles, attr=assets.PDOK_ATTRIBUTION if tiles == assets.PDOK_TILES else "Basemap",
                         name="basemap", max_zoom=assets.MAX_ZOOM, opacity=0.6)
        if tiles
        else None
    )
    m = assets.offline_map(tiles=tile_layer, zoom_control=True, zoom_snap=0.25, zoom_delta=0.5)
    m.add_child(_MetricScale())
    m.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=legend_room)
    m.get_root().header.add_child(folium.Element("<style>.folium-map{background:#eef0f2;}</style>"))
    m.add_child(_Attribution(sources))
    return m


class _Text(Element):
    """Rendered text that stays text."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class LayerElement(MacroElement):
    """A MacroElement whose rendered output is used as it is.

    branca wraps each rendered part in Element(text), which compiles it as a Jinja
    template again: '{{ ... }}' in data (a record's name, a source from an import) would
    then run on the server, and re-parsing a national GeoJSON costs ~100 ms per run.
    Every layer of ours renders through this instead."""

    def render(self, **kwargs):
        figure = self.get_root()
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class FillFrame(LayerElement):
    """Let the map fill the screen below it, and follow it: in presentation mode the map's
    frame (streamlit-folium's, same origin) is sized from its top down to the bottom of
    the window, and kept so when the window or the caption above it changes. Only for a
    map inside st_folium (whose container is #map_div)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }}, box = document.getElementById("map_div"), last = 0;
          function fit() {
            var frame = null, height = window.innerHeight;
            try { frame = window.frameElement; } catch (e) { frame = null; }
            if (frame && window.parent && window.parent !== window) {
              height = Math.max(320, Math.floor(window.parent.innerHeight - frame.getBoundingClientRect().top - 10));
              if (Math.abs(height - last) > 2) { frame.style.setProperty("height", height + "px", "important"); }
            }
            if (Math.abs(height - last) > 2 && box) {
              last = height;
              box.style.height = height + "px";
              map.invalidateSize();
            }
          }
          // At once, before streamlit-folium moves the map to the position asked: resizing
          // during its pan animation would shift the map.
          fit();
          setInterval(fit, 500);  // the caption above may grow or shrink from step to step
        })();
        {% endmacro %}"""
    )


class _MetricScale(LayerElement):
    """A scale bar in metres only (folium's control_scale adds miles too), and a map
    that takes focus without scrolling the page.

    Leaflet focuses the map on mousedown; from inside streamlit-folium's iframe that
    scrolled the page when the map was partly out of view, so the marker moved away
    under the pointer and the first click on it did not open its popup."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        (function (container) {
          container.focus = function () { HTMLElement.prototype.focus.call(this, {preventScroll: true}); };
        })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}"""
    )


class _Attribution(LayerElement):
    """Credit for the data drawn on the map, beside the basemap's own."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text }});
        {% endmacro %}"""
    )

    def __init__(self, text: str):
        super().__init__()
        self.text = script_json(_e(text))  # source names can come from imports: escaped


# --- areas ---------------------------------------------------------------------------


class AreaLayer(LayerElement):
    """Areas as a choropleth: each feature carries its class `k` (-1 = no value), and
    one style per class is sent, not one per feature. `selected` is outlined."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var colours = {{ this.colours }};
          var selected = {{ this.selected }};
          var layer = L.geoJson({{ this.data }}, {
            style: function (f) {
              var k = f.properties.k, chosen = f.properties.c === selected;
              return {
                fillColor: k < 0 ? {{ this.missing|tojson }} : colours[k],
                fillOpacity: {{ this.opacity }},
                color: chosen ? "#000000" : "#4d4d4d",
                weight: chosen ? 4 : {{ this.weight }},
                dashArray: k < 0 ? "4 3" : null
              };
            },
            onEachFeature: function (f, l) {
              var v = f.properties.t;
              l.bindTooltip("<b>" + f.properties.n + "</b><br>" + v, {sticky: true, className: "wm-tip"});
            }
          });
          layer.addTo({{ this._parent.get_name() }});
          window.wijkmapAreas = layer;
        })();
        {% endmacro %}"""
    )

    def __init__(self, geojson: str, colours: list[str], selected: str | None, opacity: float = 0.72, weight: float = 1):
        super().__init__()
        self._name = "AreaLayer"
        self.data = geojson  # already compact, escaped JSON (geometry.lean_geojson)
        self.colours = script_json(colours)
        self.selected = script_json(selected)
        self.missing = MISSING_COLOUR
        self.opacity = opacity
        self.weight = weight


class OutlineLayer(LayerElement):
    """Plain outlines (neighbouring gemeenten, wijkteam service areas): context that
    keeps the map readable without tiles. Not clickable."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.geoJson({{ this.data }}, {
          interactive: {{ this.interactive|tojson }},
          style: {{ this.style|tojson }},
          onEachFeature: function (f, l) { if (f.properties.n) { l.bindTooltip(f.properties.n); } }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, geojson: str, style: dict, interactive: bool = False):
        super().__init__()
        self._name = "OutlineLayer"
        self.data = geojson
        self.style = style
        self.interactive = interactive


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookup:
    """Codes sent once as arrays; each record refers to them by index."""

    codes: list[str]

    def index(self, code: str) -> int:
        return self.codes.index(code) if code in self.codes else -1


def _years(record) -> str:
    opened, closed = record.geopend[:4], record.gesloten[:4]
    if opened and closed:
        return f"{opened}–{closed}"
    if closed:
        return f"– {closed}"
    return opened


class RecordLayer(JSCSSMixin, LayerElement):
    """Provisions and initiatives as clustered symbols with an escaped popup.

    Records travel as compact rows; the popup is assembled in the browser from text
    that was HTML-escaped here. Sample records get a dashed symbol and a banner."""

    default_js = folium.plugins.MarkerCluster.default_js  # made local by assets.make_offline
    default_css = folium.plugins.MarkerCluster.default_css

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
          var soorten = {{ this.soorten }}, labels = {{ this.labels }};
          var rows = {{ this.rows }};
          function icon(s, sample) {
            var d = soorten[s], size = {{ this.size }}, h = size / 2, shape;
            if (d[3] === "square") shape = '<rect x="3" y="3" width="' + (size - 6) + '" height="' + (size - 6) + '" rx="3"/>';
            else if (d[3] === "diamond") shape = '<polygon points="' + h + ',1 ' + (size - 1) + ',' + h + ' ' + h + ',' + (size - 1) + ' 1,' + h + '"/>';
            else if (d[3] === "triangle") shape = '<polygon points="' + h + ',1 ' + (size - 1) + ',' + (size - 2) + ' 1,' + (size - 2) + '"/>';
            else if (d[3] === "hexagon") shape = '<polygon points="' + [[0.25,0.05],[0.75,0.05],[1,0.5],[0.75,0.95],[0.25,0.95],[0,0.5]].map(function (p) { return (p[0] * (size - 2) + 1) + ',' + (p[1] * (size - 2) + 1); }).join(' ') + '"/>';
            else shape = '<circle cx="' + h + '" cy="' + h + '" r="' + (h - 2) + '"/>';
            var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '">' +
              '<g fill="' + d[4] + '" stroke="' + (sample ? '#000' : '#fff') + '" stroke-width="2"' + (sample ? ' stroke-dasharray="3 2"' : '') + '>' + shape + '</g>' +
              '<text x="50%" y="' + (d[3] === "triangle" ? '64%' : '54%') + '" dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="' + Math.round(size * 0.38) + '" fill="#fff">' + d[2] + '</text></svg>';
            return L.divIcon({html: svg, className: "wm-symbol" + (sample ? " wm-sample" : ""), iconSize: [size, size], iconAnchor: [h, h], popupAnchor: [0, -h]});
          }
          function popup(r) {
            var d = soorten[r[2]], parts = [];
            if (r[9]) parts.push('<div class="wm-sample-banner">' + labels.sample + '</div>');
            parts.push('<b class="wm-name">' + r[3] + '</b><br><span>' + d[1] + '</span>');
            var fields = [[labels.strategie, r[4]], [labels.actoren, r[5]], [labels.doelgroep, r[6]], [labels.jaren, r[7]], [labels.bron, r[8]]];
            parts.push('<table class="wm-fields">' + fields.filter(function (f) { return f[1]; }).map(function (f) {
              return '<tr><th>' + f[0] + '</th><td>' + f[1] + '</td></tr>'; }).join('') + '</table>');
            if (r[10]) parts.push('<a href="' + r[10] + '" target="_blank" rel="noopener noreferrer">' + labels.website + '</a>');
            return parts.join('');
          }
          var options = {maxClusterRadius: {{ this.cluster_radius }}, disableClusteringAtZoom: 16,
                         showCoverageOnHover: false, spiderfyOnMaxZoom: true,
                         attribution: {{ this.attribution }}};
          // A cluster is a ring in the colours of its categories, with the count inside: which
          // kinds are there shows before zooming in. White with a dark edge reads over every palette.
          options.iconCreateFunction = function (c) {
            var counts = labels.categories.map(function () { return 0; }), n = 0;
            c.getAllChildMarkers().forEach(function (m) { counts[m.options.wmCategory] += 1; n += 1; });
            var d = {{ this.cluster_size }}, h = d / 2, w = Math.max(5, Math.round(d * 0.17)), r = h - w / 2 - 1.5;
            var length = 2 * Math.PI * r, done = 0, rings = "", parts = [];
            counts.forEach(function (k, i) {
              if (!k) return;
              var arc = length * k / n;
              rings += '<circle class="wm-cluster-part" cx="' + h + '" cy="' + h + '" r="' + r + '" fill="none" stroke="' +
                       labels.categories[i][1] + '" stroke-width="' + w + '" stroke-dasharray="' + arc + ' ' + (length - arc) +
                       '" stroke-dashoffset="' + (-done) + '" transform="rotate(-90 ' + h + ' ' + h + ')"/>';
              done += arc;
              parts.push(k + ' ' + labels.categories[i][0]);
            });
            var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + d + '" height="' + d + '"><title>' + parts.join(', ') +
              '</title><circle cx="' + h + '" cy="' + h + '" r="' + (h - 1) + '" fill="#fff" stroke="#222" stroke-width="1.5"/>' +
              rings + '<text x="50%" y="54%" dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" ' +
              'font-weight="700" font-size="' + Math.round(d * 0.34) + '" fill="#111">' + n + '</text></svg>';
            return L.divIcon({html: svg, className: "marker-cluster wm-cluster", iconSize: L.point(d, d)});
          };
          var cluster = L.markerClusterGroup(options);
          rows.forEach(function (r) {
            var m = L.marker([r[0], r[1]], {icon: icon(r[2], r[9]), keyboard: true, wmCategory: soorten[r[2]][5]});
            m.bindPopup(popup(r), {maxWidth: 340});
            m.bindTooltip(r[3] + (r[9] ? ' (' + labels.sample_short + ')' : ''), {direction: "top"});
            cluster.addLayer(m);
          });
          cluster.addTo({{ this._parent.get_name() }});
          window.wijkmapRecords = cluster;
        })();
        {% endmacro %}"""
    )

    def __init__(
        self, records: pd.DataFrame, lang: str = "nl", size: int = 30, cluster_radius: int = 40, attribution: str = ""
    ):
        """`attribution` credits the records' sources; as the layer's own attribution
        Leaflet shows it while the layer is on the map and drops it with the layer, so a
        filter that hides a source updates the credit without rebuilding the map."""
        super().__init__()
        self._name = "RecordLayer"
        self.attribution = script_json(_e(attribution))
        soorten = _Lookup(list(vocab.SOORTEN))
        self.soorten = script_json(
            [
                [code, _e(vocab.label("soort", code, lang)), SOORT_ABBREVIATIONS[code],
                 *reversed(CATEGORY_STYLE[vocab.category_of(code)]), list(CATEGORY_STYLE).index(vocab.category_of(code))]
                for code in soorten.codes
            ]
        )
        self.labels = script_json(
            {
                "strategie": _e(t("strategy", lang)),
                "actoren": _e(t("actors", lang)),
                "doelgroep": _e(t("target_groups", lang)),
                "jaren": _e(t("years", lang)),
                "bron": _e(t("source", lang)),
                "website": _e(t("website", lang)),
                "sample": _e(t("sample_banner", lang)),
                "sample_short": _e(t("sample_short", lang)),
                "categories": [[_e(vocab.label("categorie", c, lang)), colour] for c, (colour, _) in CATEGORY_STYLE.items()],
            }
        )
        self.rows = script_json([self._row(record, soorten, lang) for record in records.itertuples(index=False)])
        self.size = size
        self.cluster_size = round(size * 1.3)
        self.cluster_radius = cluster_radius

    @staticmethod
    def _row(record, soorten: _Lookup, lang: str) -> list:
        def labels(vocabulary: str, codes: str) -> str:
            return ", ".join(vocab.label(vocabulary, code, lang) for code in codes.split(";") if code)

        url = record.url if record.url.lower().startswith(("http://", "https://")) else ""
        return [
            round(float(record.lat), 6),
            round(float(record.lon), 6),
            soorten.index(record.soort),
            _e(record.naam),
            _e(vocab.label("strategie", record.strategie, lang)) if record.strategie != "onbekend" else "",
            _e(labels("actortype", record.actortype)),
            _e(labels("doelgroep", record.doelgroep)),
            _e(_years(record)),
            _e(record.bron),
            1 if is_sample(record.bron) else 0,
            _e(url),
        ]


# --- legend --------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendClass:
    colour: str
    label: str


def legend_frame_css(scale: float = 1.0, max_width: int = 240) -> str:
    """The CSS of a legend box (frame, title, class swatches, source line), shared by the
    explorer's legend and the change map's; `scale` enlarges it for a room."""

    def px(size: float) -> str:
        return f"{size * scale:.0f}px"

    return (
        f".wm-legend {{ background: rgba(255,255,255,0.94); padding: 8px 10px; border-radius: 6px;"
        f" box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: {px(14)}/1.35 sans-serif; max-width: {px(max_width)}; }}\n"
        f".wm-legend h4 {{ margin: 0 0 4px; font-size: {px(15)}; display: inline; }}\n"
        ".wm-legend summary { cursor: pointer; margin-bottom: 4px; }\n"
        ".wm-legend .wm-sub { color: #444; margin-bottom: 6px; }\n"
        f".wm-legend i {{ display: inline-block; width: {px(22)}; height: {px(14)}; margin-right: 6px;"
        " vertical-align: -2px; border: 1px solid #555; }\n"
        ".wm-legend i.wm-missing { border-style: dashed; }\n"
        f".wm-legend .wm-src {{ color: #444; font-size: {px(12)}; margin-top: 6px; }}\n"
    )


class Legend(LayerElement):
    """The legend as a Leaflet control: what the colours and symbols mean, and the source."""

    _template = Template(
        """{% macro header(this, kwargs) %}
        <style>
          {{ this.frame_css }}
          .wm-legend .wm-sym { display: inline-flex; align-items: center; margin: 2px 8px 2px 0; }
          .wm-legend .wm-sym svg { margin-right: 4px; }
          .wm-sample-banner { background: #fff3cd; border: 1px dashed #8a6d3b; padding: 2px 6px; margin-bottom: 4px;
                              font-weight: 700; color: #5c4400; }
          .wm-fields th { text-align: left; padding-right: 6px; vertical-align: top; color: #444; font-weight: 600; }
          .wm-symbol, .wm-cluster { background: none; border: none; }
          /* A cluster catches clicks on its disc only: the area under its corners stays clickable. */
          .wm-cluster { border-radius: 50%; }
          .wm-cluster svg { pointer-events: none; }
          {% if this.scale > 1 %}
          /* Read from the back of a room: the map's other text grows with the legend. */
          .leaflet-container .leaflet-control-attribution, .leaflet-container .leaflet-control-scale-line {
            font-size: {{ this.px(12) }}; }
          .leaflet-container .leaflet-tooltip { font-size: {{ this.px(13) }}; }
          .leaflet-container .leaflet-popup-content { font-size: {{ this.px(13) }}; }
          .leaflet-container .leaflet-control-zoom a { width: {{ this.px(30) }}; height: {{ this.px(30) }};
            line-height: {{ this.px(30) }}; font-size: {{ this.px(22) }}; }
          {% endif %}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "wm-legend");
            div.innerHTML = {{ this.content|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, title: str, subtitle: str, classes: list[LegendClass], missing: LegendClass | None,
                 symbols: list[tuple[str, str, str, str]], source: str, scale: float = 1.0, cluster_note: str = ""):
        """`scale` multiplies the legend's type and symbols (and, above 1, the map's other
        text): presentation mode uses it so the legend reads from the back of a room.
        `cluster_note` explains RecordLayer's clusters, drawn beside a small one."""
        super().__init__()
        self._name = "Legend"
        self.scale = scale
        self.frame_css = legend_frame_css(scale, 240)
        rows = [f'<div><i style="background:{c.colour}"></i>{_e(c.label)}</div>' for c in classes]
        if missing:
            rows.append(f'<div><i class="wm-missing" style="background:{missing.colour}"></i>{_e(missing.label)}</div>')
        symbol_html = "".join(
            f'<span class="wm-sym">{_symbol_svg(colour, shape, abbreviation, round(18 * scale))}{_e(label)}</span>'
            for label, colour, shape, abbreviation in symbols
        )
        if symbols and cluster_note:
            ring = _cluster_svg([colour for _, colour, _, _ in symbols], round(22 * scale))
            symbol_html += f'<span class="wm-sym wm-cluster-note">{ring}{_e(cluster_note)}</span>'
        # <details> lets a reader fold the legend away where it covers the map.
        self.content = (
            f"<details open><summary><h4>{_e(title)}</h4></summary>"
            f"<div class='wm-sub'>{_e(subtitle)}</div>{''.join(rows)}"
            + (f"<div style='margin-top:6px'>{symbol_html}</div>" if symbol_html else "")
            + f"<div class='wm-src'>{_e(source)}</div></details>"
        )

    def px(self, size: float) -> str:
        """A CSS size in pixels, scaled."""
        return f"{size * self.scale:.0f}px"


def _symbol_svg(colour: str, shape: str, text: str, size: int = 18) -> str:
    h = size / 2
    shapes = {
        "square": f'<rect x="2" y="2" width="{size - 4}" height="{size - 4}" rx="2"/>',
        "diamond": f'<polygon points="{h},1 {size - 1},{h} {h},{size - 1} 1,{h}"/>',
        "triangle": f'<polygon points="{h},1 {size - 1},{size - 1} 1,{size - 1}"/>',
        "hexagon": f'<polygon points="{size * .25},1 {size * .75},1 {size - 1},{h} {size * .75},{size - 1} {size * .25},{size - 1} 1,{h}"/>',
        "circle": f'<circle cx="{h}" cy="{h}" r="{h - 1}"/>',
    }
    return f'<svg width="{size}" height="{size}" aria-hidden="true"><g fill="{colour}">{shapes[shape]}</g></svg>'


def _cluster_svg(colours: list[str], size: int = 22) -> str:
    """A small cluster as RecordLayer draws them: a white disc with a number, ringed by
    arcs in `colours`."""
    h, width = size / 2, max(3, round(size * 0.17))
    r = h - width / 2 - 1
    length = 2 * math.pi * r
    arc, arcs = length / len(colours), []
    for i, colour in enumerate(colours):
        arcs.append(f'<circle cx="{h}" cy="{h}" r="{r:.2f}" fill="none" stroke="{colour}" stroke-width="{width}" '
                    f'stroke-dasharray="{arc:.2f} {length - arc:.2f}" stroke-dashoffset="{-i * arc:.2f}" '
                    f'transform="rotate(-90 {h} {h})"/>')
    return (f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{h}" cy="{h}" r="{h - 0.5}" '
            f'fill="#fff" stroke="#222"/>{"".join(arcs)}<text x="50%" y="54%" dominant-baseline="middle" '
            f'text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="{round(size * 0.4)}" '
            f'fill="#111">5</text></svg>')


def category_symbols(categories: list[str], lang: str) -> list[tuple[str, str, str, str]]:
    """Legend entries (label, colour, shape, abbreviation) for the shown categories."""
    return [
        (vocab.label("categorie", category, lang), *CATEGORY_STYLE[category], "")
        for category in categories
    ]
