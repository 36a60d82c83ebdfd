"""Boundaries from PDOK's OGC API Features (recorded responses on a local server), and
`import-gebieden` / `fetch gebieden` end to end into a small store of Deventer.

The pages are made from the bundled 2015 boundaries with the field names PDOK serves
(buurtcode, buurtnaam, wijkcode, gemeentecode, gemeentenaam, water).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from tests.data.sources.test_gebieden import DEVENTER, new_style
from wijkmap.cli import main
from wijkmap.config import REPO_ROOT, WGS84
from wijkmap.data import placement, store as wstore
from wijkmap.data.build import build_store
from wijkmap.data.sources import gebieden

OLST_WIJHE = "GM1773"  # a neighbour: inside Deventer's box, left out by --gemeente
API = "/cbs/wijken-en-buurten-2024/ogc/v1"
BOX = (6.0, 52.1, 6.3, 52.4)


def sources_dir(tmp_path: Path) -> Path:
    """A private data/sources: the bundled sources linked in, an empty gebieden/ to write."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for part in (REPO_ROOT / "data" / "sources").iterdir():
        (folder / part.name).symlink_to(part)
    return folder


@pytest.fixture(scope="module")
def deventer_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deventer-store") / "wijkmap.gpkg"
    build_store(path, gemeenten=[DEVENTER])
    return path


@pytest.fixture
def store_copy(deventer_store, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "wijkmap.gpkg"
    path.write_bytes(deventer_store.read_bytes())
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


def features(niveau: str, gemeenten=(DEVENTER,)) -> list[dict]:
    return json.loads(new_style(niveau, gemeenten).to_crs(WGS84).to_json())["features"]


def page(items: list[dict], next_href: str | None = None, matched: int | None = None) -> str:
    links = [{"rel": "self", "type": "application/geo+json", "href": "x"}]
    if next_href:
        links.append({"rel": "next", "type": "application/geo+json", "href": next_href})
    body = {"type": "FeatureCollection", "features": items, "links": links, "numberReturned": len(items)}
    if matched is not None:
        body["numberMatched"] = matched
    return json.dumps(body)


def target(server, url: str) -> str:
    """A full URL as the recorded server keys it: path and query."""
    assert url.startswith(server.url)
    return url[len(server.url) :]


def record_pdok(server, bbox=BOX) -> str:
    """Deventer's buurten on two pages (the second with a neighbour's buurt), wijken and
    gemeente on one each; returns the API root."""
    root = server.url + API
    buurten = features("buurt") + features("buurt", (OLST_WIJHE,))[:1]
    second = f"{root}/collections/buurten/items?f=json&limit=1000&cursor=Mzk"
    server.add(target(server, gebieden.items_url(root, "buurten", bbox)), page(buurten[:40], second, len(buurten)))
    server.add(target(server, second), page(buurten[40:]))
    server.add(target(server, gebieden.items_url(root, "wijken", bbox)), page(features("wijk")))
    server.add(target(server, gebieden.items_url(root, "gemeenten", bbox)), page(features("gemeente")))
    return root


def test_fetch_follows_next_links_and_imports_the_gemeente(recorded_http, tmp_path):
    root = record_pdok(recorded_http)
    sources = tmp_path / "sources"
    summary = gebieden.fetch_gebieden(2024, sources, None, gemeenten=[DEVENTER], base=root, bboxes={DEVENTER: BOX})
    assert recorded_http.unanswered() == []
    assert len(recorded_http.requests) == 4
    by_name = {level.name: level for level in summary.levels}
    assert set(by_name) == {"buurt_2024", "wijk_2024", "gemeente_2024"}
    assert by_name["buurt_2024"].areas == 68 and by_name["buurt_2024"].gemeenten == 1
    stored = gebieden.read_imported(sources / "gebieden" / "buurt_2024.gpkg")
    assert set(stored["gemeentecode"]) == {DEVENTER}
    provenance = json.loads((sources / "gebieden" / "buurt_2024.json").read_text(encoding="utf-8"))
    assert provenance["gemeenten"][DEVENTER]["bron"] == f"PDOK {root}"


def test_overlapping_boxes_of_two_gemeenten_give_each_area_once(recorded_http, tmp_path):
    root = recorded_http.url + API
    other_box = (6.1, 52.3, 6.4, 52.5)
    deventer, olst = features("buurt"), features("buurt", (OLST_WIJHE,))
    for box, items in ((BOX, deventer + olst[:2]), (other_box, olst + deventer[:3])):
        recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten", box)), page(items))
        for collection in ("wijken", "gemeenten"):
            recorded_http.add(target(recorded_http, gebieden.items_url(root, collection, box)), page([]))
    boxes = {DEVENTER: BOX, OLST_WIJHE: other_box}
    summary = gebieden.fetch_gebieden(2024, tmp_path / "s", None, gemeenten=list(boxes), base=root, bboxes=boxes)
    ((name, areas, count),) = [(level.name, level.areas, level.gemeenten) for level in summary.levels]
    assert (name, areas, count) == ("buurt_2024", len(deventer) + len(olst), 2)


def test_a_feature_without_a_readable_geometry(recorded_http, tmp_path):
    root = recorded_http.url + API
    broken = features("buurt")[:2]
    broken[1]["geometry"] = {"type": "Polygon", "coordinates": "none"}
    recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten")), page(broken))
    assert "PDOK buurten (http://" in (message := fetch_refused(root, tmp_path)) and "onleesbare GeoJSON" in message


def test_fetch_everything_without_a_box(recorded_http, tmp_path):
    root = recorded_http.url + API
    for collection, niveau in (("buurten", "buurt"), ("wijken", "wijk"), ("gemeenten", "gemeente")):
        recorded_http.add(target(recorded_http, gebieden.items_url(root, collection)), page(features(niveau)))
    summary = gebieden.fetch_gebieden(2024, tmp_path / "sources", None, base=root)
    assert {level.name: level.areas for level in summary.levels} == {
        "buurt_2024": 68,
        "wijk_2024": 15,
        "gemeente_2024": 1,
    }
    assert "bbox" not in recorded_http.requests[0]


def test_the_default_url_is_pdoks():
    assert gebieden.pdok_url(2023) == "https://api.pdok.nl/cbs/wijken-en-buurten-2023/ogc/v1"
    assert gebieden.pdok_url(2023, "http://mirror/{jaar}/ogc/") == "http://mirror/2023/ogc"
    assert gebieden.items_url("http://x", "buurten", (1, 2, 3, 4)) == (
        "http://x/collections/buurten/items?f=json&limit=1000&bbox=1.000000,2.000000,3.000000,4.000000"
    )


def fetch_refused(root: str, tmp_path: Path) -> str:
    sources = tmp_path / "sources"
    with pytest.raises(gebieden.GebiedenError) as caught:
        gebieden.fetch_gebieden(2024, sources, None, base=root)
    assert not (sources / "gebieden").exists() or not list((sources / "gebieden").iterdir())
    return str(caught.value)


def test_an_unreachable_service(tmp_path):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    message = fetch_refused(f"http://127.0.0.1:{port}{API}", tmp_path)
    assert message.startswith(f"PDOK is niet bereikbaar op http://127.0.0.1:{port}{API}/collections/buurten/items?")
    assert "(ConnectionError); controleer de internetverbinding" in message


def test_a_page_past_the_size_limit(recorded_http, tmp_path, monkeypatch):
    root = recorded_http.url + API
    recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten")), page(features("buurt")))
    monkeypatch.setattr(gebieden, "GEBIEDEN_FETCH_MAX_PAGE_BYTES", 10_000)
    assert "antwoord groter dan 10,000 bytes" in fetch_refused(root, tmp_path)


def test_an_http_error(recorded_http, tmp_path):
    root = recorded_http.url + API
    recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten")), '{"code": "x"}', status=503)
    assert "PDOK antwoordde HTTP 503 op http://" in fetch_refused(root, tmp_path)


def test_bad_json_on_the_second_page_writes_nothing(recorded_http, tmp_path):
    root = recorded_http.url + API
    second = f"{root}/collections/buurten/items?f=json&limit=1000&cursor=2"
    recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten")), page(features("buurt")[:5], second))
    recorded_http.add(target(recorded_http, second), '{"type": "FeatureCollection", "features": [', status=200)
    assert "PDOK gaf geen geldige JSON op" in fetch_refused(root, tmp_path)


def test_an_answer_that_is_no_feature_collection(recorded_http, tmp_path):
    root = recorded_http.url + API
    recorded_http.add(target(recorded_http, gebieden.items_url(root, "buurten")), '{"links": []}')
    assert "geen GeoJSON FeatureCollection" in fetch_refused(root, tmp_path)


def test_next_links_that_go_round(recorded_http, tmp_path):
    root = recorded_http.url + API
    first = gebieden.items_url(root, "buurten")
    recorded_http.add(target(recorded_http, first), page(features("buurt")[:2], first))
    assert "kringverwijzing" in fetch_refused(root, tmp_path)


def test_gemeente_boxes_from_the_store(store):
    (box,) = gebieden.gemeente_bboxes(["GM0344"], store).values()
    west, south, east, north = box
    assert 4.9 < west < 5.05 and 5.15 < east < 5.25 and 52.0 < south < north < 52.2
    with pytest.raises(gebieden.GebiedenError, match="--gemeente GM9999: deze gemeente staat in geen gemeentelaag"):
        gebieden.gemeente_bboxes(["GM9999"], store)


# --- the command line, end to end ------------------------------------------------------------------


def test_import_gebieden_into_the_store(store_copy, tmp_path, capsys):
    sources = sources_dir(tmp_path)
    frame = new_style("buurt")
    frame.loc[0, "water"] = "JA"
    path = tmp_path / "wijkenbuurten_2024_v1.gpkg"
    pyogrio.write_dataframe(frame, path, layer="buurten")
    assert main(["import-gebieden", str(path), "--jaar", "2024", "--bronnen", str(sources)]) == 0
    out = capsys.readouterr().out
    assert "Gebieden 2024 geïmporteerd uit wijkenbuurten_2024_v1.gpkg" in out
    assert "buurt_2024: 67 gebieden in 1 gemeente(n); 1 gebied(en) met water of buitenland apart gehouden" in out
    assert "buurt_2024" in wstore.area_layers(store_copy)
    stored = wstore.read_areas("buurt_2024", path=store_copy)
    assert sorted(stored["code"]) == sorted(frame["buurtcode"][1:])
    assert set(stored["gemeentecode"]) == {DEVENTER} and set(stored["jaar"]) == {2024}
    assert (sources / "gebieden" / "buurt_2024.gpkg").is_file()
    # a record of Deventer is placed in the imported layer
    inside = stored.geometry.iloc[0].representative_point()
    record = pd.DataFrame({"id": ["r1"], "lon": [inside.x], "lat": [inside.y]})
    placed = placement.place(record, stored)
    assert placed.loc[0, "buurtcode"] == stored["code"].iloc[0] and placed.loc[0, "gemeentecode"] == DEVENTER


def test_import_gebieden_refused_changes_nothing(store_copy, tmp_path, capsys):
    sources = sources_dir(tmp_path)
    before = store_copy.read_bytes()
    frame = new_style("buurt")
    frame.loc[3, "buurtcode"] = "BU0150"
    path = tmp_path / "fout.gpkg"
    pyogrio.write_dataframe(frame, path, layer="buurten")
    assert main(["import-gebieden", str(path), "--jaar", "2024", "--bronnen", str(sources)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: fout.gpkg, laag buurten, gebied 4 (code 'BU0150'), veld buurtcode:")
    assert err.rstrip().endswith("Er is niets gewijzigd.")
    assert store_copy.read_bytes() == before
    assert not (sources / "gebieden").exists() or not list((sources / "gebieden").iterdir())
    assert main(["import-gebieden", str(path), "--jaar", "2024", "--gemeente", "Deventer"]) == 2
    assert "--gemeente Deventer: geen gemeentecode" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["import-gebieden", str(path), "--jaar", "twintig"])
    assert exit_.value.code == 2
    assert "argument --jaar: geen geheel getal: 'twintig'" in capsys.readouterr().err
    assert main(["import-gebieden", str(path), "--jaar", "1850", "--bronnen", str(sources)]) == 1
    assert "--jaar 1850: geen indelingsjaar tussen 2000 en 2100" in capsys.readouterr().err


def test_fetch_gebieden_into_the_store(store_copy, recorded_http, tmp_path, capsys):
    sources = sources_dir(tmp_path)
    (box,) = gebieden.gemeente_bboxes([DEVENTER], store_copy).values()
    root = record_pdok(recorded_http, box)
    argv = ["fetch", "gebieden", "--jaar", "2024", "--gemeente", "0150", "--url", root, "--bronnen", str(sources)]
    assert main(argv) == 0, capsys.readouterr().err
    assert recorded_http.unanswered() == []
    layers = wstore.area_layers(store_copy)
    assert {"buurt_2024", "wijk_2024", "gemeente_2024"} <= set(layers)
    assert len(wstore.read_areas("buurt_2024", path=store_copy)) == 68
    # the bundled wijk_2024 of Deventer replaced by PDOK's
    wijken = wstore.read_areas("wijk_2024", gemeentecode=DEVENTER, path=store_copy)
    assert sorted(wijken["code"]) == sorted(new_style("wijk")["wijkcode"])
    assert "gebieden 2024 geïmporteerd uit http://" in capsys.readouterr().out.lower()
