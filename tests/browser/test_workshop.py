"""Workshop mode in a real browser: presentation mode, the draaiboek saved and opened in
a fresh browser, stepping with the keyboard, refused files, the hand-out, all offline."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from wijkmap.core.view import ViewState, to_query
from wijkmap.map.assets import PDOK_TILES, url_host
from wijkmap.workshop import draaiboek as db

from .helpers import MAP_FRAME, expect_no_exception, query_of, wait_idle

pytestmark = pytest.mark.browser

TILE_HOSTS = frozenset({url_host(PDOK_TILES)})
SIDEBAR = 'section[data-testid="stSidebar"]'
SCREENSHOTS = Path(os.environ.get("WIJKMAP_SCREENSHOT_DIR", tempfile.gettempdir()))
TIMEOUT = 30_000  # presentation mode draws everything large: allow more than helpers.TIMEOUT


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def _wait_for_map(page):
    """The map's frame, once the app has finished drawing (a new map replaces the old one,
    and a page's first map, once drawn, runs the page again for the rest of it)."""
    wait_idle(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".wm-legend")).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    return frame


def _font_px(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))


def _link(server, steps: list[tuple[str, str, ViewState]], stap: int = 1, presentatie: bool = True) -> str:
    book = db.Draaiboek(tuple(db.step_from_state(state, title, note) for title, note, state in steps))
    first = dataclasses.replace(
        book.steps[stap - 1].state(), draaiboek=db.encode(book), stap=stap, presentatie=presentatie
    )
    return server.url + "?" + urlencode(to_query(first))


STEPS = [
    ("Utrecht", "Hier begint het.", ViewState(gemeente="GM0344")),
    ("Rotterdam: wie overbrugt?", "", ViewState(gemeente="GM0599", strategie=["bridging"])),
    ("Amsterdam: repair cafés", "Ze komen en gaan.", ViewState(gemeente="GM0363", soort=["repair_cafe"])),
]


def test_presentation_mode_hides_the_controls_and_enlarges_the_legend(page, streamlit_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(streamlit_server.url + "?gemeente=GM0344")
    frame = _wait_for_map(page)
    expect(page.locator(SIDEBAR)).to_be_visible()
    normal_legend = _font_px(frame.locator(".wm-legend"))
    normal_body = _font_px(page.locator('[data-testid="stMain"]'))  # the body text of the page
    assert normal_legend < normal_body  # the usual small legend

    # The switch in the sidebar puts the page in presentation mode, and the link says so.
    page.locator(SIDEBAR).get_by_text("Presentatiemodus").click()
    expect(page).to_have_url(re.compile(r"presentatie=1"), timeout=TIMEOUT)
    expect(page.locator(SIDEBAR)).to_be_hidden()
    expect(page.locator('header[data-testid="stHeader"]')).to_be_hidden()
    frame = _wait_for_map(page)
    expect(page.get_by_role("button", name="Presentatie verlaten")).to_be_visible()
    expect(page.get_by_text("Voorzieningen getoond")).to_have_count(0)  # metrics, table: gone

    # Legend text at least as large as the body text, and larger than before.
    legend = frame.locator(".wm-legend")
    expect(legend).to_have_css("font-size", "25px")
    body = _font_px(page.locator('[data-testid="stMain"]'))
    assert _font_px(legend) >= body > normal_body, (_font_px(legend), body, normal_body)
    assert _font_px(page.locator(".wm-caption h2")) > body
    assert _font_px(legend.locator(".wm-src")) >= 20
    # Symbols are larger (clusters grow with them).
    marker = frame.locator(".leaflet-marker-icon").first
    expect(marker).to_be_visible()
    assert marker.bounding_box()["width"] >= 44
    # The map fills the screen below the caption.
    box = page.locator(MAP_FRAME).bounding_box()
    page.wait_for_function(
        "() => {{ const r = document.querySelector('{}').getBoundingClientRect(); "
        "return r.bottom > innerHeight - 40 && r.bottom <= innerHeight + 1; }}".format(MAP_FRAME.replace("'", "\\'")),
        timeout=TIMEOUT,
    )
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["width"] >= 0.95 * 1920 and box["height"] >= 0.75 * 1080, box
    page.screenshot(path=str(SCREENSHOTS / "presentation_1920x1080.png"))

    # A link opens straight in presentation mode; the button leaves it.
    page.goto(page.url)
    _wait_for_map(page)
    expect(page.locator(SIDEBAR)).to_be_hidden()
    page.get_by_role("button", name="Presentatie verlaten").click()
    expect(page.locator(SIDEBAR)).to_be_visible(timeout=TIMEOUT)
    expect(page).not_to_have_url(re.compile(r"presentatie=1"))


def _open_editor(page) -> None:
    """Open the draaiboek's expander (open already when there are steps)."""
    if not page.get_by_label("Titel van de stap").is_visible():
        page.get_by_text("Draaiboek voor een workshop").click()
    expect(page.get_by_label("Titel van de stap")).to_be_visible()


def _add_step(page, title: str, note: str = "") -> None:
    _open_editor(page)
    page.get_by_label("Titel van de stap").fill(title)
    page.get_by_label("Toelichting voor de zaal (kort)").fill(note)
    page.get_by_role("button", name="Voeg de huidige kaart toe als stap").click()
    expect(page.locator(".wm-caption h2")).to_have_text(title, timeout=TIMEOUT)


def _check_step(
    page, number: int, total: int, title: str, gemeente: str, strategie: str | None, soort: str | None
) -> None:
    expect(page.locator(".wm-caption .wm-count")).to_have_text(
        f"Stap {number} van {total}", ignore_case=True, timeout=TIMEOUT
    )
    expect(page.locator(".wm-caption h2")).to_have_text(title)
    expect(page).to_have_url(re.compile(rf"stap={number}(&|$)"))
    _wait_for_map(page)
    query = query_of(page.url)
    assert query.get("gemeente") == gemeente and query.get("strategie") == strategie and query.get("soort") == soort
    # The widgets show the step's view: the gemeente chosen, and the filter.
    gemeente_box = page.locator(f"{SIDEBAR} .st-key-view_gemeente input")
    expect(gemeente_box).to_have_value(re.compile(rf"\({gemeente}\)"))
    pressed = page.locator(f"{SIDEBAR} .st-key-view_strategie button[aria-pressed='true']")
    if strategie == "bridging":
        expect(pressed).to_have_text(["Bridging (overbruggen)"])
    else:
        expect(pressed).to_have_count(0)


def test_a_saved_draaiboek_steps_through_the_same_views_in_a_fresh_browser(
    page, new_context, streamlit_server, request_log, tmp_path
):
    # Prepare three views in one browser ...
    prep = new_context(accept_downloads=True).new_page()
    prep.goto(streamlit_server.url + "?gemeente=GM0344")
    _wait_for_map(prep)
    for number, (title, note, state) in enumerate(STEPS, start=1):
        if number > 1:  # open the next view by its link, keeping the draaiboek of the session
            query = to_query(state) | {"draaiboek": query_of(prep.url)["draaiboek"]}
            prep.goto(streamlit_server.url + "?" + urlencode(query))
            _wait_for_map(prep)
        _add_step(prep, title, note)
        expect(prep).to_have_url(re.compile(rf"stap={number}(&|$)"))
    # The button's file is made by each run: clicked while the last one still runs, it
    # would hand out the draaiboek as it was before the last step (seen once under load).
    wait_idle(prep)
    with prep.expect_download() as download:
        prep.get_by_role("button", name="Bewaar als bestand (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert [s["title"] for s in document["steps"]] == [s[0] for s in STEPS]
    assert document["steps"][1]["view"]["strategie"] == "bridging"

    # ... and open the file in a fresh one: each step restores its view.
    page.goto(streamlit_server.url)
    _wait_for_map(page)
    _open_editor(page)
    page.locator('.st-key-wm_upload input[type="file"]').set_input_files(str(saved))
    _check_step(page, 1, 3, "Utrecht", "GM0344", None, None)
    expect(page.locator(".wm-caption p").last).to_have_text("Hier begint het.")
    page.get_by_role("button", name="Volgende ▶").click()
    _check_step(page, 2, 3, "Rotterdam: wie overbrugt?", "GM0599", "bridging", None)
    page.get_by_role("button", name="Volgende ▶").click()
    _check_step(page, 3, 3, "Amsterdam: repair cafés", "GM0363", None, "repair_cafe")
    expect(page.get_by_role("button", name="Volgende ▶")).to_be_disabled()
    page.get_by_role("button", name="◀ Vorige").click()
    _check_step(page, 2, 3, "Rotterdam: wie overbrugt?", "GM0599", "bridging", None)
    # A reload keeps the draaiboek and the step (both are in the link).
    page.reload()
    _wait_for_map(page)
    _check_step(page, 2, 3, "Rotterdam: wie overbrugt?", "GM0599", "bridging", None)
    request_log.assert_offline()


def test_the_keyboard_moves_between_steps(page, streamlit_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(_link(streamlit_server, STEPS))
    frame = _wait_for_map(page)
    count = page.locator(".wm-caption .wm-count")
    expect(count).to_have_text("Stap 1 van 3", ignore_case=True)
    for key, number in (("ArrowRight", 2), ("PageDown", 3), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1)):
        page.keyboard.press(key)
        expect(count).to_have_text(f"Stap {number} van 3", ignore_case=True, timeout=TIMEOUT)
        expect(page).to_have_url(re.compile(rf"stap={number}(&|$)"), timeout=TIMEOUT)
    assert query_of(page.url)["gemeente"] == "GM0344"
    # After a click on the map the keys go to the map's frame: the clicker still works.
    frame = _wait_for_map(page)
    frame.locator(".leaflet-container").click(position={"x": 40, "y": 300})
    page.keyboard.press("PageDown")
    expect(count).to_have_text("Stap 2 van 3", ignore_case=True, timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"gemeente=GM0599"), timeout=TIMEOUT)
    # Listening is installed once: one key press is one step, however often the page was redrawn.
    page.keyboard.press("ArrowRight")
    expect(count).to_have_text("Stap 3 van 3", ignore_case=True, timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    expect(count).to_have_text("Stap 3 van 3", ignore_case=True)


def test_arrow_keys_in_a_text_field_do_not_step(page, streamlit_server):
    page.goto(_link(streamlit_server, STEPS, presentatie=False))
    _wait_for_map(page)
    _open_editor(page)
    title = page.get_by_label("Titel van de stap")
    title.fill("abc")
    title.press("ArrowLeft")
    title.press("ArrowRight")
    page.wait_for_timeout(1500)
    expect(page.locator(".wm-caption .wm-count")).to_have_text("Stap 1 van 3", ignore_case=True)


def test_a_file_with_an_unknown_field_or_a_bad_value_is_refused_with_a_message(page, streamlit_server, tmp_path):
    book = db.Draaiboek(tuple(db.step_from_state(state, title, note) for title, note, state in STEPS))
    document = db.to_dict(book)
    document["steps"][1]["kleur"] = "rood"
    document["steps"][2]["view"]["klassen"] = "99"
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    page.goto(streamlit_server.url + "?gemeente=GM0344")
    _wait_for_map(page)
    _open_editor(page)
    page.locator('.st-key-wm_upload input[type="file"]').set_input_files(str(bad))
    # Beside the uploader, where the person looks, not at the top of the page.
    editor = page.locator('[data-testid="stExpander"]', has=page.locator(".st-key-wm_upload"))
    error = editor.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text("Dit draaiboek is niet geopend", timeout=TIMEOUT)
    expect(page.locator('.st-key-wm_messages [data-testid="stAlertContentError"]')).to_have_count(0)
    expect(error).to_contain_text("kapot.json: Stap 2: onbekend veld ‘kleur’")
    expect(error).to_contain_text('kapot.json: Stap 3, veld view.klassen: ongeldige waarde "99"')
    assert "draaiboek" not in query_of(page.url)  # nothing was half-opened
    expect(page.locator(".wm-caption")).to_have_count(0)


def test_a_damaged_link_is_refused_with_a_message(page, streamlit_server):
    page.goto(streamlit_server.url + "?gemeente=GM0344&stap=2&draaiboek=eNp1jz0OwjAMRq9SeS5REpKK9gKwsCAxIYa")
    _wait_for_map(page)
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_contain_text("Het draaiboek in de link is niet geopend", timeout=TIMEOUT)
    expect(error).to_contain_text("Het draaiboek in de link is")
    expect(page).not_to_have_url(re.compile(r"draaiboek="))
    assert query_of(page.url)["gemeente"] == "GM0344"  # the view itself still opens


def test_a_deeply_nested_link_is_refused_with_a_message_not_a_traceback(page, streamlit_server):
    import base64
    import zlib

    nested = base64.urlsafe_b64encode(zlib.compress(b"[" * 100_000 + b"]" * 100_000, 9)).decode().rstrip("=")
    link = streamlit_server.url + "?gemeente=GM0344&stap=1&draaiboek=" + nested
    for _ in range(2):  # opened, and opened again (a reload of the same link)
        page.goto(link)
        _wait_for_map(page)
        error = page.locator('[data-testid="stAlertContentError"]')
        expect(error).to_contain_text("Het draaiboek in de link is niet geopend", timeout=TIMEOUT)
        expect(error).to_contain_text("Het draaiboek is te diep genest")
        expect_no_exception(page)
        assert query_of(page.url)["gemeente"] == "GM0344"


def test_a_step_that_refers_to_what_the_data_lacks_says_so(page, streamlit_server):
    steps = [("Verdwenen", "", ViewState(gemeente="GM9999", indicator="pct_bestaat_niet")), STEPS[0]]
    page.goto(_link(streamlit_server, steps, presentatie=False))
    _wait_for_map(page)
    caption = page.locator(".wm-caption")
    expect(caption).to_contain_text("Gemeente GM9999 staat niet (meer) in de gegevens", timeout=TIMEOUT)
    expect(caption).to_contain_text("De indicator ‘pct_bestaat_niet’ is er niet (meer)")
    page.keyboard.press("ArrowRight")
    expect(caption.locator("h2")).to_have_text("Utrecht", timeout=TIMEOUT)
    expect(caption.locator(".wm-missing")).to_have_count(0)


def test_a_step_saved_as_html_opens_without_the_app_or_a_network(page, browser, streamlit_server, tmp_path):
    page.goto(_link(streamlit_server, STEPS, stap=2, presentatie=False))
    _wait_for_map(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Hand-out (HTML)").click()
    assert download.value.suggested_filename == "wijkmap-stap-2.html"
    saved = tmp_path / "hand-out.html"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "<h1>Rotterdam: wie overbrugt?</h1>" in text and "Bron" in text
    assert not re.search(r"<script[^>]+src=", text)

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    asked: list[str] = []
    context.route(
        lambda url: not url.startswith("file:"), lambda route: (asked.append(route.request.url), route.abort())
    )
    offline = context.new_page()
    errors: list[str] = []
    offline.on("pageerror", lambda exc: errors.append(str(exc)))
    offline.goto(saved.as_uri())
    expect(offline.locator(".wm-legend")).to_be_visible()
    expect(offline.locator("path.leaflet-interactive").first).to_be_visible()
    expect(offline.locator(".leaflet-marker-icon").first).to_be_visible()
    context.close()
    assert not errors, errors
    assert {url_host(u) for u in asked} <= TILE_HOSTS, asked  # only basemap tiles were asked for
