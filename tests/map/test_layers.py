"""The map as built for the browser: layers, classes, legend, escaping, no CDN."""

import base64
import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from wijkmap import config
from wijkmap.core import geometry, style
from wijkmap.core.records import FIELDS
from wijkmap.map import assets, layers as mapview

HOSTILE = "<img src=x onerror=alert(1)>"


def _record(**values):
    row = {field: "" for field in FIELDS} | {"lon": 5.12, "lat": 52.09, "strategie": "onbekend"}
    return row | values


@pytest.fixture
def records():
    return pd.DataFrame(
        [
            _record(
                id="a",
                naam=HOSTILE,
                soort="buurthuis",
                bron="</script><script>alert(2)</script>",
                url="javascript:alert(3)",
                actortype="gemeente",
            ),
            _record(
                id="b",
                naam="Huiskamer Zon (fictief)",
                soort="huis_van_de_wijk",
                bron="voorbeeld",
                strategie="bridging",
                geopend="2019",
                url="https://example.org/?a=1&b=2",
            ),
        ]
    )


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def squares():
    return gpd.GeoDataFrame(
        {"code": ["BU1", "BU2"], "naam": ["Oost & West", "<b>Noord</b>"]},
        geometry=[shapely.box(5.0, 52.0, 5.01, 52.01), shapely.box(5.01, 52.0, 5.02, 52.01)],
        crs="EPSG:4326",
    )


def test_user_text_reaches_the_page_escaped(records):
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS · <script>x</script>")
    mapview.RecordLayer(records, "nl").add_to(m)
    page = rendered(m)
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # No string in the embedded data can close the script it sits in.
    assert "</script><script>alert(2)" not in page
    assert "<script>x</script>" not in page


def test_a_records_source_reaches_the_page_escaped(records):
    """The popup writes its lines as HTML: a source from an import is escaped before that,
    not only kept from closing the script it sits in."""
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS")
    mapview.RecordLayer(records, "nl").add_to(m)
    page = rendered(m)
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "\\u003cscript>alert(2)" not in page


def sent_records(layer: mapview.RecordLayer) -> list[dict]:
    """The records as the browser reads them (wm.records): the symbols' columns, and the
    details of each by the field names sent with its chunk."""
    sent = json.loads(layer.args[0])["records"]
    details = [row for chunk in sent["details"] for row in chunk["rows"]]
    fields = sent["details"][0]["fields"]
    return [
        dict(zip(fields, row))
        | {
            "lat": (sent["lat0"] + sent["lat"][i]) / 1e5,
            "lon": (sent["lon0"] + sent["lon"][i]) / 1e5,
            "soort": sent["soort"][i],
            "voorbeeld": sent["flags"][i] & 1,
            "verouderd": sent["flags"][i] >> 1 & 1,
        }
        for i, row in enumerate(details)
    ]


def test_only_web_links_become_links(records):
    rows = sent_records(mapview.RecordLayer(records, "nl"))
    assert rows[0]["url"] == ""  # javascript: dropped
    assert rows[1]["url"] == "https://example.org/?a=1&amp;b=2"


def test_sample_records_are_flagged_for_the_dashed_symbol(records):
    rows = sent_records(mapview.RecordLayer(records, "nl"))
    assert [row["voorbeeld"] for row in rows] == [0, 1]
    assert rows[1]["jaren"] == "sinds 2019"


def test_records_not_confirmed_for_long_are_flagged_to_be_drawn_faded(records, monkeypatch):
    """A record confirmed longer ago than the configured months is sent as stale (faded,
    with a line in its popup); one confirmed recently, or never (bundled sources), is not."""
    monkeypatch.setattr(config, "STALE_MONTHS", 12)
    today = pd.Timestamp.today().date()
    long_ago, recent = today.replace(year=today.year - 2).isoformat(), today.isoformat()
    records = pd.concat(
        [records, pd.DataFrame([_record(id="c", naam="Oud", soort="buurthuis", laatst_gecontroleerd=long_ago)])],
        ignore_index=True,
    )
    records.loc[0, "laatst_gecontroleerd"] = recent
    layer = mapview.RecordLayer(records, "nl")
    rows = sent_records(layer)
    assert [row["verouderd"] for row in rows] == [0, 0, 1]
    assert rows[2]["gecontroleerd"] and rows[1]["gecontroleerd"] == ""
    assert "12 maanden" in json.loads(layer.args[0])["labels"]["stale"]
    assert ".wm-stale" in assets.static_text("wijkmap-map.css")


def test_the_record_schema_is_sent_once_and_read_by_name(records):
    """The details' field names travel once with each chunk of rows, and the browser code
    reads the fields by those names: the schema lives in RecordTable.DETAIL_FIELDS only."""
    sent = json.loads(mapview.RecordLayer(records, "nl").args[0])["records"]
    assert [chunk["fields"] for chunk in sent["details"]] == [list(mapview.RecordTable.DETAIL_FIELDS)]
    assert all(len(row) == len(mapview.RecordTable.DETAIL_FIELDS) for row in sent["details"][0]["rows"])
    code = assets.static_text("wijkmap-map.js")
    for field in mapview.RecordTable.DETAIL_FIELDS:
        assert f"r.{field}" in code, field


def test_positions_travel_to_a_metre(records):
    rows = sent_records(mapview.RecordLayer(records.assign(lat=[52.0912345, 51.9], lon=[5.1234567, 4.5]), "nl"))
    assert [(row["lat"], row["lon"]) for row in rows] == [(52.09123, 5.12346), (51.9, 4.5)]


def test_served_records_send_a_mask_per_run_and_their_details_in_chunks(records, tmp_path, monkeypatch):
    """Served, the table's parts are files the browser fetches (their address in the
    map); what a run sends of them is the mask of the records it shows. Above
    RECORD_CHUNK records the details are files of their own."""
    monkeypatch.setattr(mapview, "RECORD_CHUNK", 2)
    files: dict[str, str] = {}

    def reference(text: str) -> str:
        url = f"/served/{len(files)}.json"
        files[url] = text
        return json.dumps({"url": url})

    many = pd.concat([records] + [records.assign(id=[f"a{i}", f"b{i}"]) for i in range(2)], ignore_index=True)
    table = mapview.serve_records(mapview.record_table(many, "nl"), reference)
    sent = json.loads(mapview.RecordLayer(table, "nl", shown_ids=["b", "a1"]).args[0])
    points = json.loads(files[sent["records"]["url"]])
    assert points["n"] == 6 and len(points["details"]) == 3
    chunks = [json.loads(files[chunk["url"]]) for chunk in points["details"]]
    assert [len(chunk["rows"]) for chunk in chunks] == [2, 2, 2]
    assert chunks[1]["rows"][0][0] == "&lt;img src=x onerror=alert(1)&gt;"  # a1: escaped in the file too
    # Records 1 (b) and 4 (a1) of six: one byte, bits 1 and 4.
    assert base64.b64decode(sent["shown"]) == bytes([0b10010])
    assert "coordinates" not in sent and "naam" not in json.dumps(sent)


def test_without_a_mask_every_record_is_drawn(records):
    assert json.loads(mapview.RecordLayer(records, "nl").args[0])["shown"] is None


def test_map_asks_no_host_but_the_tile_server(records):
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], assets.PDOK_TILES, "Bron: CBS, Kadaster")
    overlay = assets.OfflineFeatureGroup(name="overlay")
    mapview.RecordLayer(records, "nl").add_to(overlay)
    overlay.add_to(m)
    hosts = {assets.url_host(url) for url in assets.remote_urls(rendered(m))}
    # Besides the tiles only links a person may follow (attribution, the record's own
    # website) and the SVG namespace, which is a name, not a request.
    assert hosts <= {"service.pdok.nl", "www.kadaster.nl", "leafletjs.com", "example.org", "www.w3.org"}
    assert not re.search(r'<script[^>]+src="https?://', rendered(m))
    assert not re.search(r'<link[^>]+href="https?://', rendered(m))


def test_no_basemap_when_tiles_are_switched_off(monkeypatch):
    monkeypatch.setenv("WIJKMAP_TILES", "none")
    assert config.tile_url() is None
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], config.tile_url(), "Bron: CBS, Kadaster")
    assert "service.pdok.nl" not in rendered(m)
    monkeypatch.delenv("WIJKMAP_TILES")
    assert config.tile_url() == assets.PDOK_TILES


def test_area_layer_sends_one_style_per_class_not_per_feature():
    areas = squares()
    data = geometry.lean_geojson(areas, {"c": ["BU1", "BU2"], "n": ["a", "b"], "k": [0, -1], "t": ["1", "2"]})
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS")
    mapview.AreaLayer(data, ["#eee", "#111"], None).add_to(m)
    page = rendered(m)
    assert page.count('"k":') == 2
    assert mapview.MISSING_COLOUR in page


def test_class_colours_spread_over_the_palette():
    assert style.class_colours("blauw", 9) == style.PALETTES["blauw"]
    five = style.class_colours("blauw", 5)
    assert five[0] == style.PALETTES["blauw"][0] and five[-1] == style.PALETTES["blauw"][-1]
    assert len(set(five)) == 5


def test_legend_names_classes_missing_values_symbols_and_source():
    legend = mapview.Legend(
        "Eenpersoonshuishoudens (%)",
        "2024 · % · kwantielen",
        [mapview.LegendClass("#eee", "10% – 20%")],
        mapview.LegendClass(mapview.MISSING_COLOUR, "geen gegevens (2)"),
        mapview.category_symbols(["klassiek", "initiatief"], "nl"),
        "Bron: CBS KWB 2024 & <x>",
        cluster_note="groep: aantal, de ring toont de soorten",
    )
    assert "Eenpersoonshuishoudens (%)" in legend.content
    # The cluster line: a ring in the colours of the shown categories, and what it means.
    note = legend.content.split('wm-cluster-note">')[1]
    assert note.count('fill="none" stroke=') == 2 and mapview.CATEGORY_STYLE["klassiek"][0] in note
    assert "de ring toont de soorten" in note
    assert "geen gegevens (2)" in legend.content
    assert "Klassieke voorziening" in legend.content and "Initiatief" in legend.content
    assert "Bron: CBS KWB 2024 &amp; &lt;x&gt;" in legend.content


def test_lean_geojson_rounds_and_keeps_only_the_given_properties():
    areas = squares()
    text = geometry.lean_geojson(areas, {"c": ["BU1", "BU2"]}, decimals=3)
    data = json.loads(text)
    assert [f["properties"] for f in data["features"]] == [{"c": "BU1"}, {"c": "BU2"}]
    coordinates = re.findall(r"\d+\.\d+", text)
    assert all(len(number.split(".")[1]) <= 3 for number in coordinates)


def test_coverage_simplification_keeps_neighbours_touching():
    # Two neighbours sharing a wiggly edge: after simplifying, still no gap or overlap.
    wiggle = [(5.01 + (0.0003 if i % 2 else 0), 52.0 + i * 0.001) for i in range(11)]
    left = shapely.Polygon([(5.0, 52.0), *wiggle, (5.0, 52.01)])
    right = shapely.Polygon([(5.02, 52.0), (5.02, 52.01), *reversed(wiggle)])
    areas = gpd.GeoDataFrame({"code": ["a", "b"]}, geometry=[left, right], crs="EPSG:4326")
    simple = geometry.simplify_coverage(areas, 50)
    a, b = simple.geometry.to_crs(geometry.RD_NEW)
    assert a.intersection(b).area < 1  # m²: no overlap
    assert abs(a.union(b).area - (a.area + b.area)) < 1
    assert shapely.get_num_coordinates(simple.geometry).sum() < shapely.get_num_coordinates(areas.geometry).sum()


def test_template_syntax_in_data_is_never_run_on_the_server(records):
    # branca would compile rendered layers as Jinja again; a source named like this
    # used to render the server's PID. Now it is shown as text.
    # (The payload's result, 'wm' + 'pwned', cannot occur by chance in the page's hex ids.)
    sources = "Register {{ cycler.__init__.__globals__.os.getpid() }} {{ 'wm' ~ 'pwned' }}"
    records.loc[0, "naam"] = "Buurthuis {% if %} {{"
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, sources)
    mapview.RecordLayer(records, "nl").add_to(m)
    mapview.Legend("{{ 'wm' ~ 'pwned' }}", "", [], None, [], "Bron").add_to(m)
    page = rendered(m)  # must not raise on the unbalanced tags either
    assert "wmpwned" not in page
    assert "&#123;&#123; &#x27;wm&#x27; ~ &#x27;pwned&#x27; &#125;&#125;" in page
    assert "Buurthuis &#123;% if %&#125; &#123;&#123;" in page


def test_area_names_travel_plain_and_the_browser_code_escapes_them():
    """Names inside GeoJSON (areas, outlines, the change map's areas) are plain text, kept
    only from closing the script; every tooltip made of them goes through wijkmap.escape."""
    data = geometry.lean_geojson(squares(), {"n": [HOSTILE, "b"]})
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS")
    mapview.OutlineLayer(data, {"color": "#000"}).add_to(m)
    page = rendered(m)
    assert HOSTILE not in page and "\\u003cimg src=x onerror=alert(1)>" in page
    code = assets.static_text("wijkmap-map.js")
    uses = re.findall(r".{0,7}f\.properties\.[nt]\b", code)
    assert sum(use.endswith("escape(f.properties.n") for use in uses) == 2  # outlines, change areas
    # The areas' tooltips (their values arrive later) are made by tip(), which escapes both.
    assert 'function tip(props) { return "<b>" + escape(props.n) + "</b><br>" + escape(props.t); }' in code
    assert "l.bindTooltip(tip(f.properties)" in code and "l.setTooltipContent(tip(p))" in code
    assert all(use.endswith(("escape(f.properties.n", "escape(f.properties.t")) or "if (" in use for use in uses), uses


def test_the_legend_place_is_chosen_before_the_map_is_fitted():
    """Beside the map the legend narrows it: the fit must see the narrower map, or the
    east of the gemeente would end up under the legend's side of the frame."""
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS", legend_width=432)
    page = rendered(m)
    place = page.index("wijkmap.legendPlace(")
    assert place < page.index(".fitBounds(")
    assert '{"width":432,"name":"Legenda"}' in page[place : place + 200]
