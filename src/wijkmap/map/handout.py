"""A hand-out: one map view as a standalone HTML page, to print or pass round.

The folium map is rendered as a whole page, and every Leaflet file it names is written
into the page itself (scripts, style sheets, and the style sheets' images as data
URLs), so the file opens on a laptop with no network and without wijkmap running:
only basemap tiles are asked from their server, and without them the areas and the
neighbouring gemeenten still make a readable map. Title, note and sources are
HTML-escaped; print CSS (static/handout.css) puts map, legend and sources on one landscape
page. Nothing here imports Streamlit.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import folium
from branca.element import MacroElement
from jinja2 import Template

from wijkmap.core.i18n import t
from wijkmap.map import assets

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_IMAGE = re.compile(r"url\((['\"]?)(images/[^'\")]+)\1\)")


def standalone_html(
    m: folium.Map,
    title: str,
    note: str = "",
    sources: list[str] = (),
    lang: str = "nl",
    step: str = "",
    link: str | None = None,
    sample: bool = False,
    today: dt.date | None = None,
    view: tuple[float, float, float] | None = None,
    bounds: list[list[float]] | None = None,
) -> str:
    """The page for map `m` (with everything it shows added to it) and its texts.

    `step` is a line above the title ("Stap 2 van 5"), `link` the address of the view
    in wijkmap, `sample` adds the note that dashed symbols are fictional, `view` (lat,
    lon, zoom) is the position of the map in wijkmap (None: the map's own fit), and
    `bounds` ([[south, west], [north, east]]) what it showed there: fitted to the page,
    so a page narrower than the screen the view was made on still shows all of it."""
    if bounds is not None:
        m.fit_bounds(bounds)
    elif view is not None:
        _SetView(*view).add_to(m)
    page = inline_assets(m.get_root().render())
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    head = (
        '<header class="wm-handout-head">'
        + (f'<p class="wm-step">{e(step)}</p>' if step else "")
        + f"<h1>{e(title)}</h1>"
        + (f'<p class="wm-note">{e(note)}</p>' if note else "")
        + "</header>"
    )
    lines = [f"<p><b>{e(t('handout_sources', lang))}:</b> {' · '.join(e(s) for s in _unlabelled(sources, lang))}</p>"]
    if sample:
        lines.append(f"<p>{e(t('handout_sample', lang))}</p>")
    if link and link.startswith(("http://", "https://")):
        lines.append(f'<p>{e(t("handout_link", lang))}: <a href="{e(link)}">{e(link)}</a></p>')
    lines.append(f"<p>{e(t('handout_made', lang).format(date=(today or dt.date.today()).isoformat()))}</p>")
    foot = f'<footer class="wm-handout-foot">{"".join(lines)}</footer>'
    page = page.replace("<head>", f'<head>\n<meta charset="utf-8">\n<title>{e(title)}</title>', 1)
    page = page.replace("</head>", f"<style>\n{assets.static_text('handout.css')}</style>\n</head>", 1)
    page = page.replace("<body>", f"<body>\n{head}", 1)
    return page.replace("</body>", f"{foot}\n</body>", 1)


def _unlabelled(sources: list[str], lang: str) -> list[str]:
    """The sources without their own "Bron:" label (the footer has one for all), each once."""
    label = f"{t('source', lang)}:"
    texts = [s.strip().removeprefix(label).strip() for s in sources if s]
    return list(dict.fromkeys(text for text in texts if text))


class _SetView(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.setView([{{ this.lat }}, {{ this.lon }}], {{ this.zoom }});
        {% endmacro %}"""
    )

    def __init__(self, lat: float, lon: float, zoom: float):
        super().__init__()
        self.lat, self.lon, self.zoom = float(lat), float(lon), float(zoom)


def inline_assets(page: str) -> str:
    """`page` with every script and style sheet served by wijkmap written into it."""

    def script(match: re.Match) -> str:
        data = assets.vendored_bytes(match.group(1))
        if data is None:
            return match.group(0)
        # A script's text cannot hold "</script": break it where it occurs (in strings).
        return "<script>" + data.decode("utf-8").replace("</script", "<\\/script") + "</script>"

    def stylesheet(match: re.Match) -> str:
        url = match.group(1)
        data = assets.vendored_bytes(url)
        if data is None:
            return match.group(0)
        folder = url.rsplit("/", 1)[0].split(f"/{assets.VENDOR_DIR}/", 1)[-1]
        css = _CSS_IMAGE.sub(lambda m: _data_url(f"{folder}/{m.group(2)}", m.group(0)), data.decode("utf-8"))
        return "<style>" + css.replace("</style", "<\\/style") + "</style>"

    return _STYLESHEET.sub(stylesheet, _SCRIPT.sub(script, page))


def _data_url(rel: str, fallback: str) -> str:
    data = assets.vendored_bytes(rel)
    if data is None or not rel.endswith(".png"):
        return fallback
    return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"
