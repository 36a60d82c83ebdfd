"""Contributions as people use them: the real app (app.py) in Chromium.

One Streamlit server runs app.py on a private copy of the small store with
WIJKMAP_MODERATOR_SECRET set. The test walks the whole path with a hostile name:
a practitioner sends an example in (first with a mistake: what they typed stays), a
moderator logs in and approves it, and then it is on the map of its gemeente (one
marker more) and on the Voorbeelden page. The name `<img src=x onerror=alert(1)>` with
Markdown (a link and an image) must show literally everywhere: no dialog, no image element, no
link, no request for "x" or to evil.example. The harness
(tests/browser/conftest.py) fails the test on any request to a host other than
localhost and the tile server.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError, Page, expect

from .helpers import MAP_FRAME, TIMEOUT, store_copy, wait_idle

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET = "klokkenluider-van-de-dom"
HOSTILE = "<img src=x onerror=alert(1)> [x](http://evil.example) ![i](http://evil.example/a.png)"
STORY = "Elke dinsdag koffie en soep voor ouderen en nieuwkomers; [klik](https://evil.example) *vet*"
EMAIL = "contact.persoon@example.org"
UTRECHT, BUURT = "GM0344", "BU03440611"
SCREENSHOTS = Path(os.environ.get("WIJKMAP_SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture(scope="module")
def contribution_store(small_store_path, tmp_path_factory) -> Path:
    return store_copy(small_store_path, tmp_path_factory, "contribution-store")


@pytest.fixture(scope="module")
def app_spec(app_spec, contribution_store):
    return dataclasses.replace(
        app_spec,
        script=PROJECT_ROOT / "app.py",
        env={"WIJKMAP_STORE": str(contribution_store), "WIJKMAP_MODERATOR_SECRET": SECRET},
    )


@pytest.fixture
def dialogs(page) -> list[str]:
    """Every alert/confirm the page opens (there must be none)."""
    opened: list[str] = []

    def on_dialog(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


# --- helpers ---------------------------------------------------------------------------


def goto(page: Page, server, path: str, heading: str) -> None:
    page.goto(server.url + path)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)


def widget(page: Page, key: str):
    """The element of the widget with this key (Streamlit adds class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def choose(page: Page, key: str, typed: str) -> None:
    """Pick an option in a selectbox or multiselect by typing part of its label."""
    widget(page, key).locator("input").click()
    page.keyboard.type(typed)
    page.get_by_role("option").first.click()
    wait_idle(page)


def fill(page: Page, key: str, text: str) -> None:
    widget(page, key).locator("input, textarea").first.fill(text)


def in_map(page: Page, script: str, timeout: float = 20.0):
    """Evaluate `script` in the map's iframe once it has a result (retries while loading)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            frame = page.locator(MAP_FRAME).element_handle(timeout=TIMEOUT).content_frame()
            result = frame.evaluate(script) if frame else None
            if result is not None:
                return result
        except PlaywrightError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"map did not answer: {script}")
        page.wait_for_timeout(200)


def marker_count(page: Page, server) -> int:
    page.goto(f"{server.url}?gemeente={UTRECHT}")  # the map is the default page, at /
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_visible(timeout=30_000)
    wait_idle(page)
    return in_map(page, "() => window.wijkmapRecords ? window.wijkmapRecords.shown().length : null")


def no_hostile_markup(page: Page) -> None:
    """The name was never turned into an element, in the page or the map's iframe."""
    for frame in page.frames:
        try:
            count = frame.evaluate(
                '() => document.querySelectorAll(\'img[src="x"], img[onerror], [href*="evil.example"], '
                '[src*="evil.example"]\').length'
            )
        except PlaywrightError:
            continue  # a frame that went away while looking
        assert count == 0, f"an image or link from user text in {frame.url}"


# --- the whole path --------------------------------------------------------------------


def test_send_moderate_publish_with_a_hostile_name(page, streamlit_server, contribution_store, dialogs, request_log):
    from wijkmap.contributions import inbox
    from wijkmap.data import store

    before = marker_count(page, streamlit_server)
    assert before > 0

    # 1. A practitioner sends the example in; the first try misses the consent box.
    goto(page, streamlit_server, "insturen", "Voorbeeld insturen")
    choose(page, "bijdrage_gemeente", "Utrecht")
    choose(page, "bijdrage_buurtcode", BUURT)
    fill(page, "bijdrage_naam", HOSTILE)
    fill(page, "bijdrage_omschrijving", STORY)
    choose(page, "bijdrage_soort", "Huis/huiskamer")
    widget(page, "bijdrage_strategie").get_by_text("Bridging (overbruggen)").click()
    choose(page, "bijdrage_actortype", "Bewoners")
    fill(page, "bijdrage_geopend", "2019")
    fill(page, "bijdrage_contact_naam", "Contact Persoon")
    fill(page, "bijdrage_contact_email", EMAIL)
    page.get_by_role("button", name="Versturen").click()
    wait_idle(page)
    expect(page.get_by_text("Vink aan dat je akkoord gaat; anders kunnen we het niet publiceren.")).to_be_visible()
    expect(widget(page, "bijdrage_naam").locator("input")).to_have_value(HOSTILE)  # kept
    expect(widget(page, "bijdrage_omschrijving").locator("textarea")).to_have_value(STORY)
    page.screenshot(path=str(SCREENSHOTS / "contribution_form_error.png"), full_page=True)
    assert inbox.read_queue(contribution_store).empty

    widget(page, "bijdrage_toestemming").locator("label").click()
    page.get_by_role("button", name="Versturen").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile("^Bedankt! Je voorbeeld is ontvangen"))).to_be_visible(timeout=TIMEOUT)
    queue = inbox.read_queue(contribution_store, contact=True)
    assert list(queue["naam"]) == [HOSTILE] and list(queue["contact_email"]) == [EMAIL]
    number = int(queue.iloc[0]["id"])

    # Pending: not on the map, not in the publication.
    assert marker_count(page, streamlit_server) == before
    goto(page, streamlit_server, "voorbeelden", "Voorbeelden van de sociale basis")
    expect(page.get_by_text("Er zijn nog geen gepubliceerde voorbeelden.", exact=False)).to_be_visible()

    # 2. A moderator logs in (a wrong secret first), sees it literally, approves it.
    goto(page, streamlit_server, "moderatie", "Moderatie")
    fill(page, "mod_login_secret", "raden")
    fill(page, "mod_login_name", "Anna")
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page)
    expect(page.get_by_text("Dat geheim klopt niet.")).to_be_visible()
    fill(page, "mod_login_secret", SECRET)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page)
    expect(widget(page, "mod_chosen").locator("input")).to_have_value(f"#{number} · {HOSTILE}", timeout=TIMEOUT)
    expect(widget(page, f"mod{number}_naam").locator("input")).to_have_value(HOSTILE)
    widget(page, "mod_chosen").locator("input").click()  # the list of submissions, open
    expect(page.get_by_role("option").first).to_have_text(f"#{number} · {HOSTILE}")
    no_hostile_markup(page)
    page.keyboard.press("Escape")
    expect(page.get_by_text(f"Contact Persoon <{EMAIL}>", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "contribution_moderation.png"), full_page=True)
    page.get_by_role("button", name="Goedkeuren en publiceren").click()
    wait_idle(page)
    expect(page.get_by_text(f"Gepubliceerd: bijdrage {number}", exact=False)).to_be_visible(timeout=TIMEOUT)
    log = inbox.read_log(contribution_store)
    assert log.iloc[0][["moderator", "actie", "bijdrage_id"]].tolist() == ["Anna", "goedgekeurd", number]

    # 3. On the map of Utrecht: one marker more; its popup and tooltip show the name as text.
    assert marker_count(page, streamlit_server) == before + 1
    popup = in_map(
        page,
        """() => {
            // The symbol whose record has the name (its details are in the table's chunks).
            const records = window.wijkmapRecords, table = records && records.wmTable;
            if (!table || table.details.some(chunk => !chunk.rows)) return null;
            const names = table.details.flatMap(chunk => chunk.rows.map(row => row[0]));
            const i = records.shown().find(i => names[i].includes('&lt;img'));
            if (i === undefined) return null;
            let mine = null;
            records.showRecord(i, symbol => { mine = symbol; symbol.openPopup(); });
            const content = document.querySelector('.leaflet-popup-content');
            const shown = content && content.querySelector('.wm-name');
            return shown ? {name: shown.textContent, text: content.textContent,
                            tooltip: mine.getTooltip().getContent()} : null;
        }""",
    )
    assert popup["name"] == HOSTILE
    assert "bijdrage" in popup["text"]  # its source
    assert popup["tooltip"] == html.escape(HOSTILE)  # escaped HTML: shows as text
    no_hostile_markup(page)
    page.screenshot(path=str(SCREENSHOTS / "contribution_on_map.png"))

    # 4. In the publication: a card with the name and the story as written.
    goto(page, streamlit_server, "voorbeelden", "Voorbeelden van de sociale basis")
    card = page.locator(".wm-card")
    expect(card).to_have_count(1, timeout=TIMEOUT)
    expect(card.locator(".wm-card-title")).to_have_text(HOSTILE)
    expect(card.locator(".wm-story")).to_have_text(STORY)
    expect(card).to_contain_text("Domplein")
    expect(card).not_to_contain_text(EMAIL)
    expect(page.get_by_text("1 van 1 voorbeelden")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "contribution_examples.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator('section[data-testid="stSidebar"]')).to_be_hidden()
    expect(card).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "contribution_examples_print.png"), full_page=True)
    page.emulate_media(media="screen")

    # Everywhere: no dialog fired, no element made from the name, nothing fetched for it.
    no_hostile_markup(page)
    assert dialogs == []
    assert not [url for url in request_log.urls if re.search(r"/x(\?|$)", url)]
    published = store.read_records(contribution_store, bron="bijdrage")
    assert list(published["naam"]) == [HOSTILE] and EMAIL not in published.to_csv()
