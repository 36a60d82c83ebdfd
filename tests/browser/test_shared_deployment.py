"""A shared deployment: two Streamlit processes of the real app (app.py) on one store.

What one process (or the command line) writes, a visitor of the other process sees on
the next page load, within seconds: each process caches store reads per store version
(shell/cache.store_version), and that version must change for every process, not only
the one that wrote. Run on both backends: a GeoPackage file (its modification time) and
PostGIS (a version row). On PostGIS also the fault: while the database cannot be
reached the app says so, and once it is back the page recovers without a reload.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import fresh_database, pg_sql

from .conftest import AppSpec
from .helpers import TIMEOUT, metric, store_copy, wait_idle

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET = "gedeelde-installatie"
UTRECHT = "GM0344"
SHOWN = "Voorzieningen getoond"
# How long "within seconds" may be: a page load on a busy CI machine included.
WITHIN_S = 15
REGISTER = (
    "naam;soort;strategie;actortype;doelgroep;lat;lon;geopend\n"
    "Huiskamer Domplein;huis_van_de_wijk;bridging;bewoners;ouderen;52,0907;5,1214;2021\n"
    "Repair Café Lombok;repair_cafe;beide;vrijwilligersorganisatie;iedereen;52,0920;5,1040;2019\n"
    "Buurtrestaurant Overvecht;buurtrestaurant;bonding;sociaal_ondernemer;alleenstaanden;52,1160;5,1130;2022\n"
)


@pytest.fixture(scope="module", params=["gpkg", "postgis"])
def shared_store(request, small_store_path, tmp_path_factory):
    """(backend, location) of a private copy of the small store for this module's servers."""
    if request.param == "gpkg":
        yield "gpkg", str(store_copy(small_store_path, tmp_path_factory, "shared-store"))
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    template = request.getfixturevalue("pg_small_store")
    with fresh_database(admin_url, template, prefix="shared") as url:
        yield "postgis", url


@pytest.fixture(scope="module")
def servers(shared_store, streamlit_servers):
    """Two app processes on the one store (A and B), stopped after this module."""
    _, location = shared_store
    env = {"WIJKMAP_STORE": location, "WIJKMAP_MODERATOR_SECRET": SECRET}
    specs = [AppSpec(PROJECT_ROOT / "app.py", env={**env, "WIJKMAP_TEST_PROCESS": name}) for name in "AB"]
    started = [streamlit_servers(spec) for spec in specs]
    assert started[0].process.pid != started[1].process.pid
    yield started
    for server in started:
        server.stop()


def shown_in_utrecht(page: Page, server) -> int:
    """Load the map of Utrecht afresh (a new page load) and read how many provisions it shows."""
    page.goto(f"{server.url}?gemeente={UTRECHT}")
    value = metric(page, SHOWN)
    expect(value).to_be_visible(timeout=30_000)
    wait_idle(page)
    return int(value.inner_text())


def submit_example(location: str, name: str) -> int:
    """Put an example in the queue as the form does, and return its number."""
    from wijkmap.contributions import checks, inbox

    form = {
        "naam": name,
        "omschrijving": "Elke dinsdag koffie en soep voor ouderen en nieuwkomers in de buurt.",
        "soort": "huis_van_de_wijk",
        "strategie": "bridging",
        "actortype": ["bewoners"],
        "doelgroep": ["ouderen"],
        "tarief": "gratis",
        "tijdelijk": "nee",
        "geopend": "2019",
        "gesloten": "",
        "url": "",
        "buurtcode": "BU03440611",
        "lat": "",
        "lon": "",
        "contact_naam": "Contact Persoon",
        "contact_email": "contact@example.org",
        "toestemming": True,
        checks.HONEYPOT: "",
    }
    submission, problems = checks.check_submission(form, checks.StorePlaces(location))
    assert problems == []
    return inbox.submit(submission, location, now=dt.datetime.now(dt.UTC))


def test_an_approval_in_one_process_shows_in_the_other_on_the_next_page_load(servers, shared_store, new_context):
    _, location = shared_store
    server_a, server_b = servers
    visitor, moderator = new_context().new_page(), new_context().new_page()
    before = shown_in_utrecht(visitor, server_b)
    assert shown_in_utrecht(moderator, server_a) == before
    number = submit_example(location, "Huiskamer Gedeeld")

    moderator.goto(server_a.url + "moderatie")
    moderator.locator(".st-key-mod_login_secret input").fill(SECRET)
    moderator.locator(".st-key-mod_login_name input").fill("Anna")
    moderator.get_by_role("button", name="Inloggen").click()
    wait_idle(moderator)
    expect(moderator.locator(".st-key-mod_chosen input")).to_have_value(f"#{number} · Huiskamer Gedeeld")
    moderator.get_by_role("button", name="Goedkeuren en publiceren").click()
    expect(moderator.get_by_text(f"Gepubliceerd: bijdrage {number}", exact=False)).to_be_visible(timeout=TIMEOUT)
    confirmed = time.monotonic()

    # Process B read the store before (its caches hold the old version): one page load.
    assert shown_in_utrecht(visitor, server_b) == before + 1
    assert time.monotonic() - confirmed < WITHIN_S
    assert shown_in_utrecht(moderator, server_a) == before + 1


def test_a_command_line_import_shows_in_both_processes_on_the_next_page_load(
    servers, shared_store, new_context, tmp_path
):
    _, location = shared_store
    pages = [new_context().new_page() for _ in servers]
    before = [shown_in_utrecht(page, server) for page, server in zip(pages, servers, strict=True)]
    register = tmp_path / "register utrecht.csv"
    register.write_bytes(REGISTER.encode("cp1252"))
    env = {**os.environ, "WIJKMAP_STORE": location, "PYTHONPATH": str(PROJECT_ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "wijkmap", "import", str(register), "--bron", "register gemeente Utrecht"],
        env=env, capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert re.search(r"3 nieuw", done.stdout)
    confirmed = time.monotonic()
    after = [shown_in_utrecht(page, server) for page, server in zip(pages, servers, strict=True)]
    assert after == [count + 3 for count in before]
    assert time.monotonic() - confirmed < 2 * WITHIN_S


def test_an_unreachable_database_is_said_and_the_page_recovers_by_itself(servers, shared_store, page, request):
    backend, location = shared_store
    if backend != "postgis":
        pytest.skip("a GeoPackage is a file: there is no database server to lose")
    pg_admin_url = request.getfixturevalue("pg_admin_url")
    database = location.rsplit("/", 1)[1]
    server = servers[1]
    before = shown_in_utrecht(page, server)
    # Cut the app off as a restart would: close its connections and refuse new ones.
    pg_sql(pg_admin_url, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    try:
        pg_sql(
            pg_admin_url,
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'",
        )
        page.goto(f"{server.url}?gemeente={UTRECHT}")
        expect(page.get_by_text("De database is even niet bereikbaar", exact=False)).to_be_visible(timeout=30_000)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    finally:
        pg_sql(pg_admin_url, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    # No reload: the page notices by itself that the database is back.
    expect(metric(page, SHOWN)).to_have_text(str(before), timeout=30_000)
    expect(page.get_by_text("De database is even niet bereikbaar", exact=False)).to_have_count(0)
