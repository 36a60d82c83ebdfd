"""Building the folium map: choropleth, record symbols, service areas, legend.

Everything drawn is prepared elsewhere (analysis computes values and classes, geometry
makes the GeoJSON lean); this module only turns it into Leaflet layers. The layers are
calls of the functions in static/wijkmap-map.js, rather than folium's generic
GeoJson/Marker classes, because those embed a style or a popup per feature and would
send several times more data. The models hand over plain text: it reaches the browser
HTML-escaped (here, or for names inside GeoJSON by wijkmap.escape in the browser), and
JSON is embedded so that no string can close the <script> it sits in.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import html
import json
import math
from dataclasses import dataclass

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from wijkmap import config
from wijkmap.core import vocabulary as vocab
from wijkmap.core.geometry import script_json
from wijkmap.core.i18n import t
from wijkmap.core.records import date_text, is_sample, is_stale, per_value, split_list, years_text
from wijkmap.core.style import CATEGORY_STYLE, MISSING_COLOUR, SOORT_ABBREVIATIONS, LegendClass
from wijkmap.map import assets

SURROUNDINGS_STYLE = {"color": "#8c8c8c", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 0.8}


def escape_text(text) -> str:
    """User or source text made safe for the page: HTML-escaped, and with braces as
    entities so no template syntax survives in it."""
    escaped = html.escape("" if text is None else str(text), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


_e = escape_text


# --- base map ------------------------------------------------------------------------


# The legend's width beside the map, in pixels (wijkmap.legendPlace).
LEGEND_WIDTH = 240
# Room kept free of areas at the bottom when fitting the map, for the legend folded to
# one line above the attribution, where the frame has no room beside the map.
FOLDED_LEGEND_ROOM = 48


def base_map(
    bounds: list[list[float]],
    tiles: str | None,
    sources: str,
    legend_width: int = LEGEND_WIDTH,
    lang: str = "nl",
) -> folium.Map:
    """An offline map fitted to `bounds` ([[south, west], [north, east]]).

    `tiles` is the basemap URL template (None: no basemap); `sources` is the credit
    for the data drawn on top. The container has a light background, so without
    tiles (no network) the areas still read as a map. The legend goes beside the map,
    `legend_width` wide, where the frame has room (a larger legend in presentation mode
    needs more), else folded on it; `lang` is the language of what the map says,
    declared on its frame."""
    tile_layer = (
        folium.TileLayer(
            tiles,
            attr=assets.PDOK_ATTRIBUTION if tiles == assets.PDOK_TILES else "Basemap",
            name="basemap",
            max_zoom=assets.MAX_ZOOM,
            opacity=0.6,
        )
        if tiles
        else None
    )
    m = assets.offline_map(tiles=tile_layer, zoom_control=True, zoom_snap=0.25, zoom_delta=0.5)
    m.add_child(_MetricScale())
    m.add_child(_LegendPlace(legend_width, lang))  # before the fit: it may narrow the map
    m.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=(10, FOLDED_LEGEND_ROOM))
    m.add_child(StyleSheet("wijkmap-map.css"))
    m.add_child(_Attribution(sources))
    m.add_child(_DocumentLanguage(lang))
    return m


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
                target.add_child(assets.RenderedText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class ScriptedLayer(JSCSSMixin, LayerElement):
    """A layer whose script is one call of a function of static/wijkmap-map.js:
    `call` (the function's name below `wijkmap`) with the layer's parent map (or
    overlay) and `args`, each JSON text as script_json makes it. The script itself is
    linked (served by the app, written into a hand-out), so the map carries only data."""

    default_js = [assets.WIJKMAP_JS]
    _template = Template(
        """{% macro script(this, kwargs) %}
        wijkmap.{{ this.call }}({{ this.target() }}{% for arg in this.args %}, {{ arg }}{% endfor %});
        {% endmacro %}"""
    )
    call = ""
    args: tuple[str, ...] = ()

    def target(self) -> str:
        """The Leaflet object the layer is added to, by its name in the script."""
        return self._parent.get_name()


class StyleSheet(LayerElement):
    """One of our style sheets (static/), written into the map's header."""

    _template = Template("""{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}""")

    def __init__(self, name: str):
        super().__init__()
        self._name = "StyleSheet"
        self.css = assets.static_text(name)


class FillFrame(ScriptedLayer):
    """Let the map fill the screen below it, and follow it (presentation mode): see
    wijkmap.fillFrame. Only for a map inside st_folium (whose container is #map_div)."""

    call = "fillFrame"


class _MetricScale(ScriptedLayer):
    """A scale bar in metres only (folium's control_scale adds miles too), and a map
    that takes focus without scrolling the page (see wijkmap.metricScale)."""

    call = "metricScale"


class _LegendPlace(ScriptedLayer):
    """Room for the legend beside the map, or folded on it (see wijkmap.legendPlace)."""

    call = "legendPlace"

    def __init__(self, width: int, lang: str):
        super().__init__()
        self.args = (script_json({"width": width, "name": t("legend_name", lang)}),)


class _Attribution(ScriptedLayer):
    """Credit for the data drawn on the map, beside the basemap's own."""

    call = "attribution"

    def __init__(self, text: str):
        super().__init__()
        self.args = (script_json(_e(text)),)  # source names can come from imports: escaped


class _DocumentLanguage(ScriptedLayer):
    """The map frame's language and the map's accessible name."""

    call = "documentLanguage"

    def __init__(self, lang: str):
        super().__init__()
        self.args = (script_json(lang), script_json(t("map_frame_name", lang)))


# --- areas ---------------------------------------------------------------------------


class AreaLayer(ScriptedLayer):
    """Areas of a choropleth, each feature with its code `c` and its name `n` as plain
    text (escaped in the browser). `geojson` is the GeoJSON text, or a served.reference
    to it (fetched by the browser, so the page's runs do not send it again). AreaValues,
    in the overlay, colours them: another indicator or year sends only the classes and
    value texts. `selected` is outlined."""

    call = "areas"

    def __init__(self, geojson: str, selected: str | None = None, opacity: float = 0.72, weight: float = 1):
        super().__init__()
        self._name = "AreaLayer"
        # geojson: already compact, script-safe JSON (geometry.lean_geojson, served.reference)
        self.args = (
            geojson,
            script_json({"selected": selected, "missing": MISSING_COLOUR, "opacity": opacity, "weight": weight}),
        )


class AreaValues(ScriptedLayer):
    """The class (-1: no value) and value text of each area of the AreaLayer, by code,
    and the colour per class: a few KB for a gemeente's buurten. Value texts are plain
    text, escaped in the browser."""

    call = "areaValues"

    def __init__(self, codes: list[str], classes: list[int], texts: list[str], colours: list[str]):
        super().__init__()
        self._name = "AreaValues"
        if not len(codes) == len(classes) == len(texts):
            raise ValueError("one class and one text per code")
        self.args = (script_json({"c": codes, "k": classes, "t": texts, "colours": colours}),)


class TileAreaLayer(ScriptedLayer):
    """Every area of an indeling from vector tiles (a PMTiles file at `url`, served by the
    app; drawn by protomaps-leaflet, vendored from npm): the national buurt and wijk map.
    The tiles carry only geometry and codes; `codes_url` is a file of every area's code
    (in the order TileAreaColours gives their classes), fetched once by the browser.
    TileAreaColours, in the overlay, colours them, so a change of indicator or year sends
    one character per area and loads no tile."""

    default_js = [assets.PROTOMAPS_JS, assets.WIJKMAP_JS]
    call = "tileAreas"

    def __init__(
        self,
        url: str,
        layer: str,
        max_data_zoom: int,
        codes_url: str,
        attribution: str = "",
        opacity: float = 0.72,
        weight: float = 1,
    ):
        super().__init__()
        self._name = "TileAreaLayer"
        self.args = (
            script_json(
                {
                    "url": url,
                    "layer": layer,
                    "maxDataZoom": max_data_zoom,
                    "codesUrl": codes_url,
                    "opacity": opacity,
                    "weight": weight,
                    "attribution": _e(attribution),
                }
            ),
        )


class TileAreaColours(ScriptedLayer):
    """The class of each area of the TileAreaLayer on the map, for the chosen indicator
    and year: one character per area in the order of the layer's codes (a digit, "." for
    no value: at most 9 classes), the colour per class and the colour of areas without a
    value. Sits in the overlay: 12,229 buurten are 12 KB."""

    call = "tileAreaColours"

    def __init__(self, classes: list[int], colours: list[str]):
        super().__init__()
        self._name = "TileAreaColours"
        if len(colours) > 10:
            raise ValueError("at most 10 classes")
        self.classes = "".join(str(k) if 0 <= k < len(colours) else "." for k in classes)
        self.args = (script_json({"classes": self.classes, "colours": colours, "missing": MISSING_COLOUR}),)


class OutlineLayer(ScriptedLayer):
    """Plain outlines (neighbouring gemeenten, wijkteam service areas): context that
    keeps the map readable without tiles. Not clickable unless `interactive`; a feature's
    name `n` (plain text) is its tooltip."""

    call = "outlines"

    def __init__(self, geojson: str, style: dict, interactive: bool = False):
        super().__init__()
        self._name = "OutlineLayer"
        self.args = (geojson, script_json({"interactive": interactive, "style": style}))


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookup:
    """Codes sent once as arrays; each record refers to them by index."""

    codes: list[str]

    def index(self, code: str) -> int:
        return self.codes.index(code) if code in self.codes else -1


def table(fields: tuple[str, ...], rows: list[dict]) -> dict:
    """Rows for the browser as {fields, rows}: the field names once, each row a list in
    their order; wijkmap-map.js reads a row by name. As lean as a positional row, with
    its schema in one place."""
    return {"fields": list(fields), "rows": [[row[name] for name in fields] for row in rows]}


RECORD_CHUNK = 1000  # records per file of popup details (RecordTable.details)


@dataclass(frozen=True)
class RecordTable:
    """Records as the browser gets them, in two parts. `points` is what every symbol needs,
    as columns of small whole numbers (position in 1e-5 degrees, about a metre, from the
    south-west corner; the soort as an index into the soorten sent once; flags 1 = sample,
    2 = not confirmed for longer than config.STALE_MONTHS): 100,000 records in 1.6 MB.
    `details` is the text of the popups, name, tooltip (escaped here), in chunks of
    RECORD_CHUNK records in the same order: served as files they are fetched when a
    symbol of theirs is shown, not up front. `ids` gives the order, for the mask of the
    records a view shows (RecordLayer)."""

    ids: pd.Index
    points: dict
    details: list[dict]
    served: dict | None = None  # the parts as served files (serve_records): what a map sends

    DETAIL_FIELDS = ("naam", "strategie", "actoren", "doelgroep", "jaren", "bron", "url", "gecontroleerd")

    def __len__(self) -> int:
        return len(self.ids)


def _details(records: pd.DataFrame, lang: str) -> list[dict]:
    """The popup's text of each record, escaped. Each field's text is made once per
    distinct value: 100,000 records hold a few thousand, and a row at a time took 2.7 s."""

    def texts(values: list, text=None) -> list[str]:
        return per_value(pd.Series(values, dtype=object), lambda value: _e(text(value) if text else value)).tolist()

    def labels(vocabulary: str):
        return lambda codes: vocab.labels(vocabulary, split_list(codes), lang)

    def web_address(url: str) -> str:
        return url if url.lower().startswith(("http://", "https://")) else ""

    read = ("naam", "strategie", "actortype", "doelgroep", "geopend", "gesloten", "bron", "url", "laatst_gecontroleerd")
    column = {name: records[name].tolist() for name in read}
    fields = {
        "naam": texts(column["naam"]),
        "strategie": texts(
            column["strategie"], lambda code: vocab.label("strategie", code, lang) if code != "onbekend" else ""
        ),
        "actoren": texts(column["actortype"], labels("actortype")),
        "doelgroep": texts(column["doelgroep"], labels("doelgroep")),
        "jaren": texts(list(zip(column["geopend"], column["gesloten"])), lambda years: years_text(*years, lang)),
        "bron": texts(column["bron"]),
        "url": texts(column["url"], web_address),
        "gecontroleerd": texts(column["laatst_gecontroleerd"], lambda day: date_text(day, lang)),
    }
    return [dict(zip(fields, row)) for row in zip(*fields.values())]


def record_table(records: pd.DataFrame, lang: str, today: datetime.date | None = None) -> RecordTable:
    """The RecordTable of `records` (lat, lon and the record fields) in `lang`."""
    today = today or datetime.date.today()
    soorten = _Lookup(list(vocab.SOORTEN))
    lat = (records["lat"].astype(float) * 1e5).round().astype("int64").to_numpy()
    lon = (records["lon"].astype(float) * 1e5).round().astype("int64").to_numpy()
    lat0, lon0 = (int(lat.min()), int(lon.min())) if len(records) else (0, 0)
    sample = per_value(records["bron"], is_sample).astype(bool).to_numpy()
    stale = per_value(records["laatst_gecontroleerd"], lambda day: is_stale(day, config.STALE_MONTHS, today))
    flags = (sample * 1 | stale.astype(bool).to_numpy() * 2).tolist()
    details = _details(records, lang)
    return RecordTable(
        pd.Index(records["id"]),
        {
            "n": len(records),
            "lat0": lat0,
            "lon0": lon0,
            "lat": (lat - lat0).tolist(),
            "lon": (lon - lon0).tolist(),
            "soort": [soorten.index(code) for code in records["soort"].tolist()],
            "flags": flags,
            "chunk": RECORD_CHUNK,
        },
        [
            table(RecordTable.DETAIL_FIELDS, details[start : start + RECORD_CHUNK])
            for start in range(0, len(details), RECORD_CHUNK)
        ],
    )


def serve_records(records: RecordTable, reference) -> RecordTable:
    """`records` with its parts written as files by `reference` (map.served.reference):
    a table of one chunk keeps its details in the file of the points, a larger one has a
    file per chunk. Done once per table (explorer.cache), not per run."""
    if len(records.details) <= 1:
        served = json.loads(reference(script_json(records.points | {"details": records.details})))
    else:
        urls = [json.loads(reference(script_json(chunk))) for chunk in records.details]
        served = json.loads(reference(script_json(records.points | {"details": urls})))
    return dataclasses.replace(records, served=served)


def shown_mask(records: RecordTable, shown_ids) -> str:
    """Which records of `records` a view shows (`shown_ids`), as the browser reads it: a
    bit per record, little-endian, base64 (100,000 records in 17 KB)."""
    bits = np.zeros(len(records), dtype=bool)
    positions = records.ids.get_indexer(pd.Index(shown_ids))
    bits[positions[positions >= 0]] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


class RecordLayer(ScriptedLayer):
    """Provisions and initiatives as clustered symbols with an escaped popup.

    The records travel as a RecordTable; the popup is assembled in the browser
    (wijkmap.records) from text that was HTML-escaped here. Sample records get a dashed
    symbol and a banner. A served RecordTable (serve_records) goes as the address of its
    files: the browser fetches the symbols' part once per store version and the details
    of the symbols it shows, and each run sends only the mask of the records shown, so a
    filter click sends a few bytes per hundred records. Otherwise (a hand-out) everything
    is inside the map."""

    # made local by assets.make_offline
    default_js = [assets.WIJKMAP_JS]
    call = "records"

    def __init__(
        self,
        records: pd.DataFrame | RecordTable,
        lang: str = "nl",
        size: int = 30,
        cluster_radius: int = 40,
        attribution: str = "",
        shown_ids=None,
    ):
        """`records`: the records to draw, or the RecordTable of the view's records with
        `shown_ids` those drawn (None: all). `attribution` credits the records' sources; as
        the layer's own attribution Leaflet shows it while the layer is on the map and
        drops it with the layer, so a filter that hides a source updates the credit
        without rebuilding the map."""
        super().__init__()
        self._name = "RecordLayer"
        self.table = records if isinstance(records, RecordTable) else record_table(records, lang)
        labels = {
            "strategie": _e(t("strategy", lang)),
            "actoren": _e(t("actors", lang)),
            "doelgroep": _e(t("target_groups", lang)),
            "jaren": _e(t("years", lang)),
            "bron": _e(t("source", lang)),
            "website": _e(t("website", lang)),
            "sample": _e(t("sample_banner", lang)),
            "sample_short": _e(t("sample_short", lang)),
            "checked": _e(t("last_confirmed", lang)),
            "stale": _e(t("stale_record", lang).format(maanden=config.STALE_MONTHS)),
            "stale_short": _e(t("stale_short", lang)),
            "categories": [
                [_e(vocab.label("categorie", c, lang)), colour] for c, (colour, _) in CATEGORY_STYLE.items()
            ],
        }
        self.args = (
            script_json(
                {
                    "soorten": [
                        [
                            code,
                            _e(vocab.label("soort", code, lang)),
                            SOORT_ABBREVIATIONS[code],
                            *reversed(CATEGORY_STYLE[vocab.category_of(code)]),
                            list(CATEGORY_STYLE).index(vocab.category_of(code)),
                        ]
                        for code in vocab.SOORTEN
                    ],
                    "labels": labels,
                    "records": self.table.served or self.table.points | {"details": self.table.details},
                    "shown": None if shown_ids is None else shown_mask(self.table, shown_ids),
                    "size": size,
                    "clusterSize": round(size * 1.3),
                    "clusterRadius": cluster_radius,
                    "attribution": _e(attribution),
                }
            ),
        )


# --- legend --------------------------------------------------------------------------


def legend_rows(classes: list[LegendClass], missing: LegendClass | None) -> str:
    """A legend's class swatches as HTML (labels escaped), the explorer's and the change map's."""
    rows = [f'<div><i style="background:{c.colour}"></i>{_e(c.label)}</div>' for c in classes]
    if missing:
        rows.append(f'<div><i class="wm-missing" style="background:{missing.colour}"></i>{_e(missing.label)}</div>')
    return "".join(rows)


class Legend(ScriptedLayer):
    """The legend as a Leaflet control: what the colours and symbols mean, and the source."""

    call = "legend"

    def __init__(
        self,
        title: str,
        subtitle: str,
        classes: list[LegendClass],
        missing: LegendClass | None,
        symbols: list[tuple[str, str, str, str]],
        source: str,
        scale: float = 1.0,
        cluster_note: str = "",
        in_overlay: bool = False,
    ):
        """`scale` multiplies the legend's type and symbols (and, above 1, the map's other
        text): presentation mode uses it so the legend reads from the back of a room.
        `cluster_note` explains RecordLayer's clusters, drawn beside a small one.
        `in_overlay`: the legend sits in the overlay (it changes with the indicator
        while the map stays) and replaces the one drawn before."""
        super().__init__()
        self._name = "Legend"
        self.scale = scale
        symbol_html = "".join(
            f'<span class="wm-sym">{_symbol_svg(colour, shape, abbreviation, round(18 * scale))}{_e(label)}</span>'
            for label, colour, shape, abbreviation in symbols
        )
        if symbols and cluster_note:
            ring = _cluster_svg([colour for _, colour, _, _ in symbols], round(22 * scale))
            symbol_html += f'<span class="wm-sym wm-cluster-note">{ring}{_e(cluster_note)}</span>'
        # <details>: folded to its title where it would cover the map (wijkmap.legendPlace).
        self.content = (
            f"<details open><summary><h4>{_e(title)}</h4></summary>"
            f"<div class='wm-sub'>{_e(subtitle)}</div>{legend_rows(classes, missing)}"
            + (f"<div style='margin-top:6px'>{symbol_html}</div>" if symbol_html else "")
            + f"<div class='wm-src'>{_e(source)}</div></details>"
        )
        # Sizes for wijkmap-map.css, in whole pixels as the browser would round them.
        sizes = {
            "--wm-legend-font": 14,
            "--wm-legend-title": 15,
            "--wm-legend-width": 240,
            "--wm-swatch-width": 22,
            "--wm-swatch-height": 14,
            "--wm-legend-small": 12,
            "--wm-text-small": 12,
            "--wm-text": 13,
            "--wm-zoom": 30,
            "--wm-zoom-font": 22,
        }
        self.in_overlay = in_overlay
        options = {"className": "wm-legend", "scaled": scale > 1}
        if in_overlay:
            options["replace"] = "wijkmapLegend"
        if scale != 1:
            options["sizes"] = {name: self.px(size) for name, size in sizes.items()}
        self.args = (script_json(self.content), script_json(options))

    def target(self) -> str:
        if self.in_overlay:
            return self._parent._parent.get_name()  # the map the overlay is on
        return super().target()

    def px(self, size: float) -> str:
        """A CSS size in pixels, scaled."""
        return f"{size * self.scale:.0f}px"


def _symbol_svg(colour: str, shape: str, text: str, size: int = 18) -> str:
    h = size / 2
    shapes = {
        "square": f'<rect x="2" y="2" width="{size - 4}" height="{size - 4}" rx="2"/>',
        "diamond": f'<polygon points="{h},1 {size - 1},{h} {h},{size - 1} 1,{h}"/>',
        "triangle": f'<polygon points="{h},1 {size - 1},{size - 1} 1,{size - 1}"/>',
        "hexagon": f'<polygon points="{size * 0.25},1 {size * 0.75},1 {size - 1},{h} {size * 0.75},{size - 1} {size * 0.25},{size - 1} 1,{h}"/>',
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
        arcs.append(
            f'<circle cx="{h}" cy="{h}" r="{r:.2f}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-dasharray="{arc:.2f} {length - arc:.2f}" stroke-dashoffset="{-i * arc:.2f}" '
            f'transform="rotate(-90 {h} {h})"/>'
        )
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{h}" cy="{h}" r="{h - 0.5}" '
        f'fill="#fff" stroke="#222"/>{"".join(arcs)}<text x="50%" y="54%" dominant-baseline="middle" '
        f'text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="{round(size * 0.4)}" '
        f'fill="#111">5</text></svg>'
    )


def category_symbols(categories: list[str], lang: str) -> list[tuple[str, str, str, str]]:
    """Legend entries (label, colour, shape, abbreviation) for the shown categories."""
    return [(vocab.label("categorie", category, lang), *CATEGORY_STYLE[category], "") for category in categories]
