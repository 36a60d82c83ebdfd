"""What the browser tests of the real app share: waiting for Streamlit, reading the URL."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT = 30_000  # ms, for anything that waits on a Streamlit rerun


def wait_idle(page: Page) -> None:
    """No script run in progress, nor one just requested.

    Streamlit marks its root element with the script state (what its own end-to-end
    tests wait on); the 'Running...' status widget shows only after a delay. A run can
    set off another (the map reports its position), hence the second look. The Kaart
    page's first run stops below the map until the map has drawn and reported: that
    page is whole once its note that the rest follows is gone."""
    app = page.locator('[data-testid="stApp"]')
    for _ in range(2):
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT)
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT)
        page.wait_for_timeout(250)
    expect(page.locator(".wm-rest-follows")).to_have_count(0, timeout=TIMEOUT)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT)


def open_expander(page: Page, expander) -> None:
    """Open a closed st.expander (`expander`: its <details>) and wait until it has
    finished growing, as a person sees it open before reaching into it.

    While it grows its content is clipped, and a click on a widget in it scrolls the
    <details> to show the widget: a select box's list closes on that scroll (react-aria
    closes its popover when an ancestor scrolls), and what was typed is lost."""
    expander.locator("summary").click()
    page.wait_for_function(
        "el => el.open && el.getAnimations({subtree: true}).length === 0", arg=expander.element_handle()
    )


def query_of(url: str) -> dict[str, str]:
    """The query parameters of `url`, one value each."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def expect_no_exception(page: Page) -> None:
    """The app did not show a Python exception anywhere on the page."""
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        pytest.fail("the app raised:\n" + "\n---\n".join(errors.all_inner_texts()), pytrace=False)


def metric(page: Page, label: str):
    """The value element of the st.metric with `label` (in the summary row)."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return box.first.locator('[data-testid="stMetricValue"]')


PASSWORD = "een lange zin als wachtwoord"


def store_copy(small_store_path: Path, tmp_path_factory, name: str) -> Path:
    """A private copy of the small store for one test module's server (it writes to it)."""
    path = tmp_path_factory.mktemp(name) / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    return path


def users_file(tmp_path_factory, name: str, roles: Mapping[str, str]) -> Path:
    """A users file with an account per name in `roles` (name -> role), all with PASSWORD."""
    from wijkmap.accounts import users

    path = tmp_path_factory.mktemp(name) / "gebruikers.json"
    for account, role in roles.items():
        users.add(account, role, PASSWORD, path)
    return path
