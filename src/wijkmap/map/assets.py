"""Leaflet and its plugins, served by the app itself instead of a CDN.

folium names CDN URLs for everything a map needs (Leaflet, jQuery, Bootstrap,
Font Awesome, awesome-markers, the markercluster plugin). The app must run with
no internet and leak nothing but basemap tile requests, so:

* :func:`ensure_static_assets` copies Leaflet and Leaflet.markercluster (for folium's
  MarkerCluster; our maps cluster with supercluster) from the installed ``xstatic-*``
  packages, and the npm bundles, into ``<app dir>/static/vendor/``, which
  Streamlit serves at ``/app/static/vendor/...`` (``server.enableStaticServing``).
* :func:`make_offline` points every element of a built map at those local files,
  drops the CDN resources no element we use needs, and refuses elements that
  would still load something from the internet.
* :func:`offline_map` builds a map that re-applies :func:`make_offline` each time
  it is rendered, so plugins added after construction are covered too.

``streamlit_folium.st_folium`` loads the map's ``default_js``/``default_css`` as
``<script src>``/``<link href>`` inside its component iframe, which is served
from ``/component/streamlit_folium.st_folium/index.html``; hence the root-based
URL ``/app/static/vendor/...`` (see :func:`static_url`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import branca.element
import folium
import folium.elements
import folium.features
import folium.map
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

from wijkmap.config import MAX_ZOOM, PDOK_ATTRIBUTION, PDOK_TILES, REPO_ROOT

# Path under which Streamlit serves <app dir>/static/ (server.enableStaticServing),
# below server.baseUrlPath. Root-based on purpose: the streamlit-folium iframe
# document is /component/streamlit_folium.st_folium/index.html, so a relative
# "app/static/..." would resolve to /component/.../app/static/... (404).
STATIC_PATH = "app/static"
VENDOR_DIR = "vendor"


# Our own code and styles, in the package (wijkmap/map/static/), served and inlined like
# the vendored files: folium-shim.js stands in for folium's CDN extras (see its header),
# wijkmap-map.js holds the code of every map layer.
STATIC_FILES = Path(__file__).parent / "static"
OWN_SCRIPTS = ("folium-shim.js", "wijkmap-map.js")


@functools.cache
def static_text(name: str) -> str:
    """The text of one of our static files (a style sheet or script in map/static/)."""
    return (STATIC_FILES / name).read_text(encoding="utf-8")


# Browser bundles installed from the npm registry by scripts/vendor (versions pinned in
# vendor/package-lock.json) into vendor/node_modules; copied from there like the others.
# protomaps-leaflet draws the national vector tiles (PMTiles) and carries its own copy of
# pmtiles, so the map links only it; pmtiles' bundle is served for pages that read a
# PMTiles file themselves. supercluster clusters the records (wijkmap.records) in every map.
NODE_MODULES = REPO_ROOT / "vendor" / "node_modules"
NPM_BUNDLES: dict[str, Path] = {
    "protomaps-leaflet/protomaps-leaflet.js": NODE_MODULES / "protomaps-leaflet" / "dist" / "protomaps-leaflet.js",
    "pmtiles/pmtiles.js": NODE_MODULES / "pmtiles" / "dist" / "pmtiles.js",
    "supercluster/supercluster.js": NODE_MODULES / "supercluster" / "dist" / "supercluster.min.js",
}


def missing_npm_bundles() -> list[str]:
    """The npm bundles scripts/vendor has not installed (every map needs supercluster, the
    national tile view the others)."""
    return [name for name, src in NPM_BUNDLES.items() if not src.exists()]


# destination below static/vendor -> source file
_LEAFLET = Path(xs_leaflet.BASE_DIR)
_MARKERCLUSTER = Path(xs_markercluster.BASE_DIR)
_FILES: dict[str, Path] = {
    "leaflet/leaflet.js": _LEAFLET / "leaflet.js",
    "leaflet/leaflet.css": _LEAFLET / "leaflet.css",
    # leaflet.css refers to images/ (layer control icon); folium-shim.js points
    # L.Icon.Default at the same folder for the default marker icons.
    **{f"leaflet/images/{p.name}": p for p in sorted((_LEAFLET / "images").iterdir()) if p.suffix == ".png"},
    "leaflet.markercluster/leaflet.markercluster.js": _MARKERCLUSTER / "leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css": _MARKERCLUSTER / "MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css": _MARKERCLUSTER / "MarkerCluster.Default.css",
    **{f"wijkmap/{name}": STATIC_FILES / name for name in OWN_SCRIPTS},
    **NPM_BUNDLES,
}


# The scripts every map runs, served as one file. streamlit-folium loads a map's scripts
# one after another, each once the one before has run; on a page still being drawn each
# took 30-60 ms. Leaflet first, the shim in jQuery's place right after it (see its header).
MAP_BUNDLE_PARTS = (
    "leaflet/leaflet.js",
    "wijkmap/folium-shim.js",
    "supercluster/supercluster.js",
    "wijkmap/wijkmap-map.js",
)

# A part's source map comment would claim the whole bundle, and its map is not served.
_SOURCE_MAP = re.compile(rb"^//# sourceMappingURL=\S*\s*$", re.MULTILINE)


@functools.cache
def map_bundle() -> tuple[str, bytes]:
    """The one script of MAP_BUNDLE_PARTS: its path below vendor/, named by its digest so
    that a browser holding an older wijkmap's copy asks again, and its bytes."""
    missing = [part for part in MAP_BUNDLE_PARTS if not _FILES[part].exists()]
    if missing:
        raise FileNotFoundError(f"not installed: {', '.join(missing)} (bash scripts/vendor installs them)")
    parts = (_SOURCE_MAP.sub(b"", _FILES[part].read_bytes()) for part in MAP_BUNDLE_PARTS)
    data = b"\n;\n".join(parts)
    return f"wijkmap/map-{hashlib.sha1(data).hexdigest()[:10]}.js", data


# The link a layer that calls wijkmap-map.js lists in its default_js (JSCSSMixin); the
# URL is a placeholder that make_offline replaces with the served one.
WIJKMAP_JS = ("wijkmap_map", "wijkmap/wijkmap-map.js")
# The same for the vector tile layer's library (from npm, see NPM_BUNDLES).
PROTOMAPS_JS = ("protomaps_leaflet", "protomaps-leaflet/protomaps-leaflet.js")


_base_url_path = ""  # Streamlit's server.baseUrlPath, set by the app (serve_under)


def serve_under(base_url_path: str) -> None:
    """Tell the map where the app is served: Streamlit's server.baseUrlPath, which the app
    reads (map/ does not import Streamlit: it also builds maps for tests, the benchmark and
    hand-outs, where there is no server)."""
    global _base_url_path
    _base_url_path = (base_url_path or "").strip("/")


def static_url() -> str:
    """Root-based URL of <app dir>/static/, under the app's base path (serve_under)."""
    return "/" + "/".join(p for p in (_base_url_path, STATIC_PATH) if p)


def _link_tables() -> tuple[dict[str, str | None], dict[str, str | None]]:
    """folium's link names -> local URL, or None for "drop this link".

    Names not listed are unknown: make_offline refuses them when remote.
    """
    vendor = f"{static_url()}/{VENDOR_DIR}"
    js: dict[str, str | None] = {
        # Every map has Leaflet: its link brings the whole bundle (map_bundle), and the
        # links of the other parts go.
        "leaflet": f"{vendor}/{map_bundle()[0]}",
        "jquery": None,  # the shim stands in for it
        # Bootstrap JS and awesome-markers only serve folium.Icon, rejected below.
        "bootstrap": None,
        "awesome_markers": None,
        "markerclusterjs": f"{vendor}/leaflet.markercluster/leaflet.markercluster.js",
        WIJKMAP_JS[0]: None,
        PROTOMAPS_JS[0]: f"{vendor}/{PROTOMAPS_JS[1]}",
    }
    css: dict[str, str | None] = {
        "leaflet_css": f"{vendor}/leaflet/leaflet.css",
        # Bootstrap 5 CSS, glyphicons, Font Awesome, awesome-markers and its
        # rotate CSS style only folium.Icon markers; nothing else folium draws
        # uses them. Dropping bootstrap_css also keeps Bootstrap's global
        # resets out of the map's look.
        "bootstrap_css": None,
        "glyphicons_css": None,
        "awesome_markers_font_css": None,
        "awesome_markers_css": None,
        "awesome_rotate_css": None,
        "markerclustercss": f"{vendor}/leaflet.markercluster/MarkerCluster.css",
        "markerclusterdefaultcss": f"{vendor}/leaflet.markercluster/MarkerCluster.Default.css",
    }
    return js, css


def vendored_bytes(url: str) -> bytes | None:
    """The content of a file served here, by the local URL make_offline writes (or its
    path below vendor/), or None when it is not one of ours. A page saved to open on
    its own (a hand-out) writes these files into itself."""
    prefix = f"{static_url()}/{VENDOR_DIR}/"
    rel = (url[len(prefix) :] if url.startswith(prefix) else url).split("?", 1)[0]
    bundle, data = map_bundle()
    if rel == bundle:
        return data
    src = _FILES.get(rel)
    return None if src is None else src.read_bytes()


class OfflineAssetError(ValueError):
    """A map element would load a resource from the internet."""


def ensure_static_assets(static_dir: Path) -> None:
    """Copy the vendored JS/CSS into ``static_dir/vendor`` when missing or outdated, and
    write the map's bundle (map_bundle) when missing.

    Idempotent and cheap when up to date (one ``stat`` per file). Files are
    written to a temporary name and renamed, so a browser fetching them while
    another session copies never sees a half-written file.
    """
    vendor = Path(static_dir) / VENDOR_DIR
    for rel, src in _FILES.items():
        dst = vendor / rel
        if rel in NPM_BUNDLES and not src.exists():
            continue  # not installed (scripts/vendor): map_bundle and the national view say so
        st = src.stat()
        try:
            dt = dst.stat()
            if dt.st_size == st.st_size and int(dt.st_mtime) == int(st.st_mtime):
                continue
        except FileNotFoundError:
            pass
        _atomic_write(dst, lambda tmp, s=src: shutil.copy2(s, tmp))
    bundle, data = map_bundle()
    if not (vendor / bundle).exists():
        _atomic_write(vendor / bundle, lambda tmp: Path(tmp).write_bytes(data))
        _remove_old_bundles(vendor / bundle)


# The map bundles of other code kept when a new one is written, the newest: an app
# process of the code before (several behind one proxy, during an update) still links
# to its own.
OLD_BUNDLES_KEPT = 2


def _remove_old_bundles(current: Path) -> None:
    """Delete the map bundles of other code but the OLD_BUNDLES_KEPT newest."""
    others = [path for path in current.parent.glob("map-*.js") if path != current]
    with contextlib.suppress(OSError):  # another process removed one first
        others.sort(key=lambda path: path.stat().st_mtime, reverse=True)
        for old in others[OLD_BUNDLES_KEPT:]:
            old.unlink(missing_ok=True)


def _atomic_write(dst: Path, write) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _localize(links, table: dict[str, str | None], element) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, url in links:
        if name in table:
            local = table[name]
            if local is not None:
                out.append((name, local))
        elif _is_remote(url):
            raise OfflineAssetError(
                f"{type(element).__name__} wants {name!r} from {url}; "
                "vendor it in wijkmap.map.assets or do not use this element"
            )
        else:
            out.append((name, url))
    return out


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def make_offline(m: folium.Map) -> folium.Map:
    """Point ``m`` and every element in it at the locally served assets.

    Call it after all layers, plugins and controls have been added (or use
    :func:`offline_map`, which does so on every render). Returns ``m``.

    Raises :class:`OfflineAssetError` for elements that would need the
    internet: folium.Icon (awesome-markers + Font Awesome from a CDN), branca
    colormaps (streamlit-folium then injects d3 from a CDN), GeoJson loaded by
    URL, and any plugin whose JS/CSS is not vendored here.
    """
    js, css = _link_tables()
    for el in _walk(m):
        if isinstance(el, folium.map.Icon):
            raise OfflineAssetError(
                "folium.Icon needs awesome-markers/Font Awesome from a CDN; "
                "use the default marker, folium.DivIcon or a CircleMarker"
            )
        if isinstance(el, branca.colormap.ColorMap):
            raise OfflineAssetError(
                "branca colormaps make streamlit-folium load d3 from a CDN; draw the legend as HTML instead"
            )
        if isinstance(el, folium.features.GeoJson) and not getattr(el, "embed", True):
            raise OfflineAssetError("GeoJson(embed=False) fetches its data by URL; embed it")
        if isinstance(el, folium.elements.JSCSSMixin):
            # Instance attributes: never mutate folium's class-level lists.
            el.default_js = _localize(el.default_js, js, el)
            el.default_css = _localize(el.default_css, css, el)
    return m


class OfflineMap(folium.Map):
    """A folium.Map that applies :func:`make_offline` whenever it is rendered.

    Both ``m.get_root().render()`` and ``st_folium(m)`` call ``Map.render``
    before they read the assets, so plugins added at any time are covered.
    """

    def render(self, **kwargs):
        make_offline(self)
        super().render(**kwargs)
        _allow_zooming(self)


# folium's viewport forbids zooming the page (WCAG 1.4.4 asks that it can be zoomed).
_ZOOM_LOCK = re.compile(r",\s*maximum-scale=[\d.]+,\s*user-scalable=no")


class RenderedText(branca.element.Element):
    """Rendered text that stays text: branca's Element would compile it as a Jinja
    template again, so '{{ ... }}' in data would run on the server."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _allow_zooming(m: folium.Map) -> None:
    """Drop folium's zoom lock from the map's header, once it is rendered."""
    header = m.get_root().header
    rendered = header._children.get(m.get_name())
    if rendered is not None:
        header._children[m.get_name()] = RenderedText(_ZOOM_LOCK.sub("", rendered.render()))


class OfflineFeatureGroup(folium.FeatureGroup):
    """A FeatureGroup that applies :func:`make_offline` to itself when rendered.

    streamlit-folium renders a ``feature_group_to_add`` on its own, after the map,
    and collects its plugins' links then; this keeps those links local too."""

    def render(self, **kwargs):
        make_offline(self)
        return super().render(**kwargs)


def pdok_tile_layer(**kwargs) -> folium.TileLayer:
    """The PDOK BRT-Achtergrondkaart basemap (kwargs go to folium.TileLayer)."""
    kwargs.setdefault("name", "BRT-Achtergrondkaart (PDOK)")
    kwargs.setdefault("attr", PDOK_ATTRIBUTION)
    kwargs.setdefault("max_zoom", MAX_ZOOM)
    return folium.TileLayer(PDOK_TILES, **kwargs)


def offline_map(*, tiles: str | folium.TileLayer | None = "pdok", max_zoom: int = MAX_ZOOM, **kwargs) -> OfflineMap:
    """A map with only locally served assets, on the PDOK basemap by default.

    Keyword arguments go to :class:`folium.Map`; ``tiles=None`` gives a map
    without a basemap, any other ``tiles``/``attr`` are passed through.
    """
    if tiles == "pdok":
        tiles = pdok_tile_layer()
    m = OfflineMap(tiles=tiles, max_zoom=max_zoom, **kwargs)
    # On the map itself, not only on its tile layer: without a basemap Leaflet knows no
    # deepest zoom, and the marker cluster then refuses the map and draws no record.
    m.options["max_zoom"] = max_zoom
    return make_offline(m)


_HOST_TAIL = r"""(?::\d+)?[^\s"'<>()\\]*"""
_URL_RE = re.compile(
    # scheme URLs, and protocol-relative ones right after a quote, paren or "="
    r"https?://[A-Za-z0-9.-]+" + _HOST_TAIL + r"""|(?<=["'(=])//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+""" + _HOST_TAIL
)


def remote_urls(html: str) -> list[str]:
    """Every absolute http(s) or protocol-relative URL written in ``html``."""
    return _URL_RE.findall(html)


def url_host(url: str) -> str:
    return (urlsplit(url if "//" in url[:8] else "//" + url).hostname or "").lower()
