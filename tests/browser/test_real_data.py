"""Real data for a gemeente outside the sample, as a policymaker of Deventer meets it.

One story, in the order a gemeente lives it: first only CBS figures (2024 figures on the
2015 buurten, the ones that cannot be compared grey, and the map saying that no
provisions are known), then official 2024 boundaries imported, then an OpenStreetMap
extract, then a newer extract in which one provision is gone, which Verandering shows.
Each import goes through the command line a user types, against the running app's store.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import MAP_FRAME, expect_no_exception, metric, wait_idle
from tests.browser.test_explorer import PROJECT_ROOT, in_map, open_view, wait_for_map
from wijkmap import cli
from wijkmap.config import RD_NEW, REPO_ROOT
from wijkmap.core import indeling
from wijkmap.data import store as wstore
from wijkmap.data.build import build_store

pytestmark = pytest.mark.browser

DEVENTER = "GM0150"
VIEW = f"?gemeente={DEVENTER}&niveau=buurt&jaar=2024&indicator=pct_65plus"
GREY_JS = "() => window.wijkmapAreas.getLayers().filter(l => l.feature.properties.k === -1).length"
# Three provisions in the centre of Deventer, as Overpass hands them out (`out center`).
PROVISIONS = [
    (1, 6.1600, 52.2540, {"amenity": "library", "name": "Bibliotheek Deventer Centrum"}),
    (2, 6.1700, 52.2500, {"amenity": "community_centre", "name": "Buurthuis De Hoven"}),
    (3, 6.1750, 52.2560, {"shop": "second_hand", "name": "Kringloop Keizerstraat"}),
]


def overpass(path: Path, elements, day: str) -> Path:
    nodes = [{"type": "node", "id": id_, "lon": lon, "lat": lat, "tags": tags} for id_, lon, lat, tags in elements]
    path.write_text(json.dumps({"osm3s": {"timestamp_osm_base": f"{day}T00:00:00Z"}, "elements": nodes}))
    return path


@pytest.fixture(scope="module")
def deventer(tmp_path_factory) -> dict[str, Path]:
    """A store of Deventer alone, built from a private data/sources (the bundled files
    linked in), so the boundary import writes there and not into the checkout."""
    folder = tmp_path_factory.mktemp("deventer")
    sources = folder / "sources"
    sources.mkdir()
    for part in (REPO_ROOT / "data" / "sources").iterdir():
        (sources / part.name).symlink_to(part)
    path = folder / "wijkmap.gpkg"
    build_store(path, sources_dir=sources, gemeenten=[DEVENTER])
    return {"store": path, "sources": sources, "folder": folder}


@pytest.fixture(scope="module")
def app_spec(app_spec, deventer):
    return dataclasses.replace(app_spec, script=PROJECT_ROOT / "app.py", env={"WIJKMAP_STORE": str(deventer["store"])})


@pytest.fixture
def as_user(deventer, monkeypatch):
    """The command line, run as a user would in a shell whose WIJKMAP_STORE is the app's."""
    monkeypatch.setenv("WIJKMAP_STORE", str(deventer["store"]))
    return lambda *args: cli.main([*map(str, args)])


def test_deventer_from_cbs_figures_to_boundaries_and_provisions(page, streamlit_server, deventer, as_user, js_errors):
    path = deventer["store"]
    statistics = wstore.read_statistics(path=path)
    buurten_2015 = wstore.read_areas("buurt_2015", DEVENTER, path=path)
    figures_2024 = set(statistics.loc[(statistics["jaar"] == 2024) & (statistics["indicator"] == "pct_65plus"), "code"])

    # 1. Only CBS: the 2024 figures on the 2015 buurten; the ones not comparable grey and counted.
    reasons = indeling.comparable(
        statistics, "pct_65plus", 2024, buurten_2015["code"], 2015, buurten_2015["gemeentecode"]
    )
    grey = int(reasons.isin([indeling.CHANGED, indeling.NO_FIGURE]).sum())
    assert 0 < grey < len(buurten_2015)  # some are drawn in colour, some are not: else this proves nothing
    open_view(page, streamlit_server, VIEW)
    state = wait_for_map(page, areas=len(buurten_2015))
    assert state["areas"] == len(buurten_2015) and state["records"] in (0, None)
    assert in_map(page, GREY_JS) == grey
    legend = page.frame_locator(MAP_FRAME).locator(".wm-legend")
    expect(legend.locator("div:has(> i.wm-missing)")).to_contain_text(f"geen vergelijkbaar cijfer ({grey})")
    expect(legend.locator("div:has(> i.wm-missing)")).to_contain_text("sinds 2015")
    expect(page.get_by_text("Geen voorzieningen bekend voor Deventer")).to_be_visible()
    expect(page.get_by_text("import-osm").first).to_be_visible()  # one of the ways in
    expect_no_exception(page)

    # 2. The official 2024 buurten (here: the 2015 outlines of the codes 2024 still has, as
    #    the CBS wijk- en buurtkaart names its fields, in RD New).
    kept = buurten_2015[buurten_2015["code"].isin(figures_2024)]
    kaart = kept.rename(columns={"code": "buurtcode", "naam": "buurtnaam", "gemeentecode": "gemeentecode"})
    kaart = kaart.assign(gemeentenaam="Deventer", wijkcode=kaart["wijkcode"], water="NEE").to_crs(RD_NEW)
    boundary_file = deventer["folder"] / "wijkenbuurten_2024.gpkg"
    kaart[["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "water", "geometry"]].to_file(
        boundary_file, layer="buurten", driver="GPKG"
    )
    assert as_user("import-gebieden", boundary_file, "--jaar", 2024, "--bronnen", deventer["sources"]) == 0
    assert "buurt_2024" in wstore.area_layers(path)
    open_view(page, streamlit_server, VIEW)
    state = wait_for_map(page, areas=len(kept))
    assert state["areas"] == len(kept)
    assert in_map(page, GREY_JS) == 0  # every buurt of the 2024 map has its own 2024 figure
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(len(kept)))

    # 3. An OpenStreetMap extract: the provisions appear, the "none known" message goes.
    first = overpass(deventer["folder"] / "deventer-1.json", PROVISIONS, "2025-03-01")
    assert as_user("import-osm", first, "--gemeente", DEVENTER) == 0
    open_view(page, streamlit_server, VIEW + "&voorbeeld=0")
    state = wait_for_map(page, records=len(PROVISIONS))
    assert state["records"] == len(PROVISIONS)
    expect(page.get_by_text("Geen voorzieningen bekend voor Deventer")).to_have_count(0)
    expect(page.frame_locator(MAP_FRAME).get_by_text("OpenStreetMap").first).to_be_attached()

    # 4. A newer extract without the buurthuis: it is closed on that day, and Verandering says so.
    newer = overpass(deventer["folder"] / "deventer-2.json", [PROVISIONS[0], PROVISIONS[2]], "2025-09-15")
    assert as_user("import-osm", newer, "--gemeente", DEVENTER) == 0
    closed = wstore.read_records(path).set_index("id").loc["osm-node-2"]
    assert closed["gesloten"] == "2025-09-15"
    page.goto(streamlit_server.url + f"verandering?gemeente={DEVENTER}&van=2025&tot=2025")
    wait_idle(page)
    expect(metric(page, "Verdwenen")).to_have_text("1")
    expect(page.get_by_text("Buurthuis De Hoven").first).to_be_attached()  # a cell of the canvas table
    expect_no_exception(page)
    assert not [error for error in js_errors if not re.search(r"ResizeObserver", error)], js_errors
