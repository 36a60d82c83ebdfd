"""The hand-out: a map view as one HTML file that opens offline, text escaped; and the
map's presentation sizes (legend scale, large symbols)."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import pandas as pd
import shapely

from wijkmap.core import geometry
from wijkmap.core.records import FIELDS
from wijkmap.map import assets, handout, layers as mapview


def _map(scale: float = 1.0, size: int = 30):
    areas = gpd.GeoDataFrame(
        {"code": ["BU1"], "naam": ["Oost"]}, geometry=[shapely.box(5.0, 52.0, 5.01, 52.01)], crs="EPSG:4326"
    )
    records = pd.DataFrame(
        [
            {f: "" for f in FIELDS}
            | {
                "lon": 5.005,
                "lat": 52.005,
                "strategie": "bridging",
                "soort": "repair_cafe",
                "naam": "Repair <Café>",
                "id": "a",
            }
        ]
    )
    m = mapview.base_map([[52.0, 5.0], [52.01, 5.01]], assets.PDOK_TILES, "Bron: CBS")
    mapview.AreaLayer(
        geometry.lean_geojson(areas, {"c": ["BU1"], "n": ["Oost"], "k": [0], "t": ["1"]}), ["#fde725"], None
    ).add_to(m)
    mapview.Legend(
        "Titel",
        "2024",
        [mapview.LegendClass("#fde725", "0 – 1")],
        None,
        mapview.category_symbols(["popup"], "nl"),
        "Bron: CBS",
        scale=scale,
    ).add_to(m)
    mapview.RecordLayer(records, "nl", size=size).add_to(m)
    return m


def test_the_page_carries_leaflet_itself_and_asks_only_for_tiles():
    page = handout.standalone_html(
        _map(),
        "Stap <1>",
        "Noot & toelichting",
        ["Bron: CBS"],
        "nl",
        step="Stap 1 van 2",
        link="http://localhost:8501/?gemeente=GM0344",
        sample=True,
        today=dt.date(2026, 5, 1),
        view=(52.005, 5.005, 14),
    )
    assert not re.search(r"<script[^>]+src=", page), "a script is loaded from elsewhere"
    assert not re.search(r"<link[^>]+stylesheet", page), "a style sheet is loaded from elsewhere"
    assert "/app/static/" not in page  # nothing needs the app running
    assert "Supercluster" in page  # the records' clustering is in the page
    assert "data:image/png;base64," in page  # leaflet.css's images too
    # The only hosts named outside the inlined libraries' own text: tiles and the given link.
    body = page.split("</head>", 1)[1]
    hosts = {assets.url_host(u) for u in assets.remote_urls(body)}
    assert hosts <= {"service.pdok.nl", "localhost", "www.kadaster.nl", "leafletjs.com", "www.w3.org"}, hosts
    assert "setView([52.005, 5.005], 14.0)" in page


def test_the_texts_are_escaped_and_all_there():
    page = handout.standalone_html(
        _map(),
        "Stap <1>",
        "Noot & <b>toelichting</b>",
        ["Bron: <CBS>"],
        "nl",
        step="Stap 1 van 2",
        sample=True,
        today=dt.date(2026, 5, 1),
        link="javascript:alert(1)",
    )
    assert "<h1>Stap &lt;1&gt;</h1>" in page
    assert "Noot &amp; &lt;b&gt;toelichting&lt;/b&gt;" in page
    assert "<b>Bronnen:</b> &lt;CBS&gt;</p>" in page  # one label, not "Bronnen: Bron: ..."
    assert "fictieve voorbeelden" in page
    assert "2026-05-01" in page
    assert "javascript:alert" not in page  # only web links become links
    assert "<title>Stap &lt;1&gt;</title>" in page
    assert "@media print" in page


def test_presentation_legend_and_symbols_grow():
    normal, large = _map().get_root().render(), _map(scale=1.8, size=46).get_root().render()
    # The legend's sizes, for wijkmap-map.css; the map's other text grows only in a large one.
    assert '"--wm-legend-font"' not in normal and '"--wm-legend-font":"25px"' in large
    assert '"scaled":false' in normal and '"scaled":true' in large
    assert '"clusterSize":39' in normal and '"clusterSize":60' in large  # cluster rings grow with the symbols
    assert 'width=\\"32\\" height=\\"32\\"' in large  # legend symbols scale with the type (JSON in the page)


def test_fill_frame_is_only_a_script_on_the_map():
    m = _map()
    mapview.FillFrame().add_to(m)
    page = m.get_root().render()
    assert "wijkmap.fillFrame(" in page
    assert "window.frameElement" in assets.static_text("wijkmap-map.js")


def test_the_footer_names_each_source_once_under_one_label():
    page = handout.standalone_html(_map(), "Kaart", sources=["Bron: CBS 2024", "Bron: CBS, Kadaster", "Bron: CBS 2024"])
    assert "<b>Bronnen:</b> CBS 2024 · CBS, Kadaster</p>" in page
    english = handout.standalone_html(_map(), "Map", sources=["Source: CBS 2024"], lang="en")
    assert "Source: CBS 2024" not in english.split("wm-handout-foot", 1)[1]
