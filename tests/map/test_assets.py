"""wijkmap.map.assets: maps name no CDN, only locally served files and the tile server."""

from __future__ import annotations

import json
import os
import re
import time
import tomllib
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
import streamlit_folium

from wijkmap.config import REPO_ROOT
from wijkmap.map import assets
from wijkmap.map.assets import (
    PDOK_TILES,
    OfflineAssetError,
    ensure_static_assets,
    make_offline,
    offline_map,
    remote_urls,
    url_host,
)

PROJECT_ROOT = REPO_ROOT
TILE_HOST = url_host(PDOK_TILES)
VENDOR_URL = "/app/static/vendor/"

BUURTEN = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"naam": "Wijk C", "aantal": 3},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[5.10, 52.08], [5.13, 52.08], [5.13, 52.10], [5.10, 52.08]]],
            },
        }
    ],
}


def build_map(*, marker_cluster=folium.plugins.MarkerCluster) -> folium.Map:
    """A map like the app draws: basemap, buurten, clustered markers, layer control."""
    m = offline_map(location=[52.09, 5.12], zoom_start=13)
    folium.GeoJson(
        BUURTEN,
        name="Buurten",
        tooltip=folium.GeoJsonTooltip(fields=["naam"]),
        popup=folium.GeoJsonPopup(fields=["naam", "aantal"]),
    ).add_to(m)
    if marker_cluster is folium.plugins.FastMarkerCluster:
        marker_cluster([[52.09, 5.12], [52.091, 5.121]], name="Snel").add_to(m)
    else:
        cluster = marker_cluster(name="Voorzieningen").add_to(m)
        for i in range(5):
            folium.Marker([52.09 + i / 1000, 5.12], popup=f"Voorziening {i}").add_to(cluster)
    folium.LayerControl().add_to(m)
    return m


def without_attribution(html: str) -> str:
    """Drop the tile layers' attribution options: credit links, not requests."""
    return re.sub(r'"attribution":\s*"(?:[^"\\]|\\.)*"', '"attribution": ""', html)


def hosts_named(html: str) -> set[str]:
    return {url_host(u) for u in remote_urls(html)}


@pytest.mark.parametrize("marker_cluster", [folium.plugins.MarkerCluster, folium.plugins.FastMarkerCluster])
def test_rendered_map_names_no_host_but_the_tile_server(marker_cluster):
    html = build_map(marker_cluster=marker_cluster).get_root().render()

    assert hosts_named(without_attribution(html)) == {TILE_HOST}
    assert PDOK_TILES in html
    # The attribution is the only other place a URL may appear: as a link.
    assert hosts_named(html) <= {TILE_HOST, "www.kadaster.nl"}

    tags = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"|<link[^>]*\bhref=\"([^\"]*)\"", html)
    urls = {src or href for src, href in tags}
    # Leaflet, the shim, supercluster and ours (map_bundle); folium's cluster plugin
    # (not in our maps, which cluster with supercluster) from here too.
    assert urls == {
        VENDOR_URL + assets.map_bundle()[0],
        VENDOR_URL + "leaflet.markercluster/leaflet.markercluster.js",
        VENDOR_URL + "leaflet/leaflet.css",
        VENDOR_URL + "leaflet.markercluster/MarkerCluster.css",
        VENDOR_URL + "leaflet.markercluster/MarkerCluster.Default.css",
    }


def test_streamlit_folium_is_handed_only_local_links(monkeypatch):
    """st_folium collects default_js/css itself; check what the component gets."""
    sent = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw))
    streamlit_folium.st_folium(build_map(), returned_objects=[])

    # After the bundle, which holds Leaflet: the plugin needs it.
    assert sent["js_links"] == [
        VENDOR_URL + assets.map_bundle()[0],
        VENDOR_URL + "leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all(u.startswith(VENDOR_URL) for u in sent["css_links"])
    assert len(sent["css_links"]) == 3
    for part in ("script", "header", "html"):
        assert hosts_named(without_attribution(sent[part] or "")) <= {TILE_HOST}, part


def test_the_map_bundle_runs_leaflet_first_and_the_shim_right_after_it():
    """The shim sets L.Icon.Default.imagePath from its own address: the bundle lives where
    the shim did (vendor/wijkmap/), and needs Leaflet before it."""
    name, data = assets.map_bundle()
    assert name.startswith("wijkmap/map-") and name.endswith(".js")
    parts = [assets._FILES[part].read_bytes() for part in assets.MAP_BUNDLE_PARTS]
    starts = [data.index(part[:300]) for part in parts]
    assert starts == sorted(starts) and starts[0] == 0
    # No part's source map comment, which would claim the whole bundle (and is not served).
    assert b"sourceMappingURL" in b"".join(parts) and b"sourceMappingURL" not in data
    assert assets.MAP_BUNDLE_PARTS[:2] == ("leaflet/leaflet.js", "wijkmap/folium-shim.js")
    assert assets.vendored_bytes(VENDOR_URL + name) == data


def test_plugins_added_after_the_map_are_localised_on_render():
    m = offline_map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)  # added after make_offline ran
    html = m.get_root().render()
    assert remote_urls(html) == []


def test_a_map_without_basemap_still_has_a_deepest_zoom():
    """Leaflet.markercluster draws nothing on a map without maxZoom (WIJKMAP_TILES=none)."""
    html = offline_map(tiles=None).get_root().render()
    assert re.search(r'"maxZoom": 19\b', html)


def test_make_offline_on_a_plain_map_without_tiles():
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    assert make_offline(m) is m
    html = m.get_root().render()
    assert remote_urls(html) == []
    # Idempotent, and folium's class-level defaults are left alone.
    first = (list(m.default_js), list(m.default_css))
    make_offline(m)
    assert (m.default_js, m.default_css) == first
    assert folium.Map.default_js[0][1].startswith("https://")
    assert folium.plugins.MarkerCluster.default_js[0][1].startswith("https://")


def geojson_file(tmp_path: Path) -> str:
    path = tmp_path / "buurten.geojson"
    path.write_text(json.dumps(BUURTEN))
    return str(path)


@pytest.mark.parametrize(
    "add",
    [
        lambda m, tmp: folium.Marker([52, 5], icon=folium.Icon(color="red")).add_to(m),
        lambda m, tmp: branca.colormap.LinearColormap(["#ffffff", "#000000"]).add_to(m),
        lambda m, tmp: folium.plugins.Fullscreen().add_to(m),  # a plugin we do not vendor
        # embed=False makes the browser load the data with $.ajax. (A file path
        # here; folium would fetch a URL at construction, which needs a network.)
        lambda m, tmp: folium.GeoJson(geojson_file(tmp), embed=False).add_to(m),
    ],
    ids=["folium.Icon", "branca colormap", "unvendored plugin", "GeoJson not embedded"],
)
def test_elements_that_need_the_internet_are_refused(add, tmp_path):
    m = folium.Map(tiles=None)
    add(m, tmp_path)
    with pytest.raises(OfflineAssetError):
        make_offline(m)


def test_remote_urls_finds_scheme_and_protocol_relative_urls():
    html = '<script src="//cdn.example.org/a.js"></script> // a comment <a href="http://x.nl/">'
    assert remote_urls(html) == ["//cdn.example.org/a.js", "http://x.nl/"]


def test_ensure_static_assets_copies_once_and_repairs(tmp_path, monkeypatch):
    ensure_static_assets(tmp_path)
    vendor = tmp_path / "vendor"
    expected = {
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/marker-icon.png",
        "leaflet/images/marker-icon-2x.png",
        "leaflet/images/marker-shadow.png",
        "leaflet/images/layers.png",
        "leaflet/images/layers-2x.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "wijkmap/folium-shim.js",
        "wijkmap/wijkmap-map.js",
        assets.map_bundle()[0],
        # from npm (scripts/vendor)
        "protomaps-leaflet/protomaps-leaflet.js",
        "pmtiles/pmtiles.js",
        "supercluster/supercluster.js",
    }
    found = {p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file()}
    assert found == expected
    assert (vendor / "leaflet/leaflet.js").read_text().startswith("/* @preserve\n * Leaflet 1.9")

    # Up to date: nothing is written again.
    writes = []
    real = assets._atomic_write
    monkeypatch.setattr(assets, "_atomic_write", lambda dst, w: (writes.append(dst), real(dst, w)))
    ensure_static_assets(tmp_path)
    assert writes == []

    # Outdated or damaged files are replaced.
    (vendor / "leaflet/leaflet.js").write_text("stale")
    (vendor / "wijkmap/folium-shim.js").write_text("stale")
    os.utime(vendor / "leaflet/leaflet.css", (0, 0))
    ensure_static_assets(tmp_path)
    assert sorted(p.relative_to(vendor).as_posix() for p in writes) == [
        "leaflet/leaflet.css",
        "leaflet/leaflet.js",
        "wijkmap/folium-shim.js",
    ]
    assert (vendor / "leaflet/leaflet.js").stat().st_size > 100_000
    assert not list(vendor.rglob("*.tmp"))


def test_a_new_map_bundle_keeps_only_the_newest_bundles_of_old_code(tmp_path):
    """Another app process of the code before may still link to its bundle for a while."""
    folder = tmp_path / "vendor" / "wijkmap"
    folder.mkdir(parents=True)
    olds = [folder / f"map-{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}.js" for n in range(4)]
    for age, old in enumerate(olds):
        old.write_text("old code")
        os.utime(old, (time.time() - 3600 * (age + 1),) * 2)
    ensure_static_assets(tmp_path)
    bundles = sorted(path.name for path in folder.glob("map-*.js"))
    assert bundles == sorted([olds[0].name, olds[1].name, assets.map_bundle()[0].split("/")[-1]])


def test_streamlit_config_serves_static_files_and_sends_no_stats():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit/config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_the_vendor_script_installed_the_npm_bundles_and_they_are_served_here(tmp_path):
    """scripts/vendor (run by scripts/start and scripts/test) put protomaps-leaflet, pmtiles
    and supercluster, at the versions package-lock.json pins, where ensure_static_assets
    copies from; supercluster goes into the map bundle."""
    lock = json.loads((PROJECT_ROOT / "vendor" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"][""]["dependencies"]
    assert set(pinned) == {"protomaps-leaflet", "pmtiles", "supercluster"}
    for name, version in pinned.items():
        installed = json.loads((assets.NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))
        assert installed["version"] == version, name
    assert assets.missing_npm_bundles() == []
    ensure_static_assets(tmp_path)
    bundle = tmp_path / "vendor" / "protomaps-leaflet" / "protomaps-leaflet.js"
    assert bundle.read_bytes().startswith(b'"use strict";var protomapsL=')
    assert (tmp_path / "vendor" / "pmtiles" / "pmtiles.js").stat().st_size > 1000
    supercluster = (tmp_path / "vendor" / "supercluster" / "supercluster.js").read_bytes()
    assert b"Supercluster" in supercluster and supercluster in assets.map_bundle()[1]
    assert "/vendor/node_modules/" in (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8")


def test_the_tile_map_links_its_library_locally_and_names_no_cdn():
    from wijkmap.map import layers

    m = offline_map(tiles=None)
    tiles = "/app/static/tiles/buurt_2015-x"
    layers.TileAreaLayer(tiles + ".pmtiles", "areas", 12, tiles + ".codes.txt", "CBS").add_to(m)
    overlay = assets.OfflineFeatureGroup(name="overlay").add_to(m)
    layers.TileAreaColours([1, -1, 0], ["#eee", "#333"]).add_to(overlay)
    html = m.get_root().render()

    assert remote_urls(html) == []
    scripts = re.findall(r'<script src="([^"]*)"', html)
    assert VENDOR_URL + "protomaps-leaflet/protomaps-leaflet.js" in scripts
    assert all(src.startswith(VENDOR_URL) for src in scripts), scripts
    assert scripts.index(VENDOR_URL + "protomaps-leaflet/protomaps-leaflet.js") > scripts.index(
        VENDOR_URL + assets.map_bundle()[0]
    )
    assert '"codesUrl":"/app/static/tiles/buurt_2015-x.codes.txt"' in html.replace(" ", "")
    assert '"classes":"1.0"' in html.replace(" ", ""), "one character per area: its class, '.' for none"
