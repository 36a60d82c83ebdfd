"""import-osm: OpenStreetMap extracts (.osm.pbf, .osm XML, Overpass JSON) into the store.

The extracts are written here with pyosmium's SimpleWriter (pbf and XML, with a header
timestamp and box) or by hand (Overpass JSON), around real places in the `store` fixture:
Utrecht (GM0344), Rotterdam (GM0599) and Amsterdam (GM0363).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import osmium
import pandas as pd
import pytest

from wijkmap import config
from wijkmap.change import model
from wijkmap.cli import main
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import sources_credit
from wijkmap.data.export import CREDIT_COLUMN, export_records
from wijkmap.data.sources import osm
from wijkmap.data.store import RECORDS, read_records

UTRECHT = (5.1214, 52.0907)  # Domplein
UTRECHT_2 = (5.1100, 52.0890)  # near Vredenburg
UTRECHT_3 = (5.0930, 52.0730)  # Kanaleneiland
ROTTERDAM = (4.4777, 51.9244)  # Coolsingel
AMSTERDAM = (4.8952, 52.3702)  # Dam
NORTH_SEA = (3.2, 53.3)  # outside every buurt
# A box around gemeente Utrecht only, and one around Utrecht and Rotterdam.
UTRECHT_BOX = (4.9, 51.95, 5.25, 52.2)
RANDSTAD_BOX = (3.5, 51.7, 5.25, 52.2)


def node(osm_id, where, tags, edited="2024-01-01"):
    return {"id": osm_id, "lon": where[0], "lat": where[1], "tags": tags, "edited": edited}


def write_osmium(path: Path, nodes, ways=(), timestamp="2025-03-01T00:00:00Z", box=None) -> Path:
    """An extract written by pyosmium: `ways` are (id, [(lon, lat), ...], tags); their
    nodes get ids from 1,000,000 on."""
    header = osmium.io.Header()
    if timestamp:
        header.set("osmosis_replication_timestamp", timestamp)
    if box:
        header.add_box(osmium.osm.Box(osmium.osm.Location(box[0], box[1]), osmium.osm.Location(box[2], box[3])))
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
    refs, way_nodes = [], []
    next_id = 1_000_000
    for _, coordinates, _ in ways:
        ids = []
        for lon, lat in coordinates:
            if (lon, lat) in [c for c, _ in way_nodes]:
                ids.append(next(i for c, i in way_nodes if c == (lon, lat)))
                continue
            way_nodes.append(((lon, lat), next_id))
            ids.append(next_id)
            next_id += 1
        refs.append(ids)
    for item in nodes:
        edited = dt.datetime.fromisoformat(item["edited"]).replace(tzinfo=dt.UTC)
        writer.add_node(
            osmium.osm.mutable.Node(
                id=item["id"], location=(item["lon"], item["lat"]), tags=item["tags"], version=1, timestamp=edited
            )
        )
    for (lon, lat), node_id in way_nodes:
        writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), version=1))
    for (way_id, _, tags), ids in zip(ways, refs):
        writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=ids, tags=tags, version=1))
    writer.close()
    return path


def square(center, size=0.0004):
    lon, lat = center
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]


FIRST_NODES = [
    node(1, UTRECHT, {"amenity": "library", "name": "Bibliotheek Neude", "operator:type": "government"}),
    node(2, UTRECHT_2, {"amenity": "community_centre", "name": "Buurthuis De Pijl", "start_date": "1985"}),
    node(3, UTRECHT_3, {"amenity": "community_centre", "name": "Huiskamer van Kanaleneiland"}),
    node(4, ROTTERDAM, {"shop": "second_hand", "name": "Kringloop Coolsingel"}),
    node(5, UTRECHT, {"amenity": "bench"}),  # skipped, counted
    node(6, UTRECHT_2, {"name": "Oudegracht"}),  # a name only: not looked at, not counted
    node(7, NORTH_SEA, {"amenity": "library", "name": "Bieb op zee"}),  # outside every buurt
]
FIRST_WAYS = [(10, square(UTRECHT_3), {"amenity": "place_of_worship", "religion": "muslim", "name": "Ulu Camii"})]


@pytest.fixture
def first_pbf(tmp_path):
    return write_osmium(tmp_path / "eerste.osm.pbf", FIRST_NODES, FIRST_WAYS, "2025-03-01T00:00:00Z", RANDSTAD_BOX)


def stored_osm(path: Path) -> pd.DataFrame:
    return read_records(path, bron=vocab.OSM_BRON).set_index("id")


def test_every_mapping_row_gives_its_soort_and_the_first_matching_row_wins():
    cases = {
        "buurthuis": {"amenity": "community_centre", "name": "Wijkcentrum Oost"},
        "huis_van_de_wijk": {"amenity": "community_centre", "name": "Huis van de Wijk Zuid"},
        "bibliotheek": {"amenity": "library"},
        "kerk": {"amenity": "place_of_worship", "religion": "christian"},
        "moskee": {"amenity": "place_of_worship", "religion": "muslim"},
        "religieuze_organisatie": {"amenity": "place_of_worship", "religion": "buddhist"},
        "voedselbank": {"social_facility": "food_bank"},
        "kringloopwinkel": {"shop": "charity"},
        "repair_cafe": {"repair": "assisted_self_service"},
    }
    for soort, tags in cases.items():
        assert osm.soort_of(tags) == soort, tags
    assert osm.soort_of({"amenity": "food_bank"}) == "voedselbank"
    assert osm.soort_of({"shop": "second_hand"}) == "kringloopwinkel"
    assert osm.soort_of({"amenity": "place_of_worship"}) == "religieuze_organisatie"
    for name in ("De Buurtkamer", "Kamer van de wijk", "Huiskamer Noord"):
        assert osm.soort_of({"amenity": "community_centre", "name": name}) == "huis_van_de_wijk"
    for name in ("Repair Café Oost", "Repaircafe Zuid", "repair-cafe de Pijp"):
        assert osm.soort_of({"amenity": "community_centre", "name": name}) == "repair_cafe"
    assert osm.soort_of({"amenity": "place_of_worship", "religion": "christian", "social_facility": "food_bank"}) == (
        "voedselbank"
    )
    assert osm.soort_of({"amenity": "bench"}) is None
    assert osm.soort_of({"shop": "bakery", "name": "Bakker Bart"}) is None
    assert {rule.soort for rule in osm.MAPPING} <= set(vocab.SOORTEN)


def test_disused_tags_give_the_soort_of_what_was_there_and_mark_it_closed():
    assert osm.classify({"disused:amenity": "library", "name": "Oude bieb"}) == ("bibliotheek", True)
    assert osm.classify({"disused:shop": "charity"}) == ("kringloopwinkel", True)
    assert osm.classify({"amenity": "library"}) == ("bibliotheek", False)
    assert osm.classify({"disused:amenity": "bench"}) == (None, False)


def test_a_pbf_extract_becomes_placed_records_with_stable_ids(store, first_pbf):
    summary = osm.import_osm(first_pbf)
    records = stored_osm(store)
    assert sorted(records.index) == ["osm-node-1", "osm-node-2", "osm-node-3", "osm-node-4", "osm-way-10"]
    library = records.loc["osm-node-1"]
    assert (library["soort"], library["bron"], library["strategie"], library["actortype"]) == (
        "bibliotheek", "OpenStreetMap", "onbekend", "gemeente",
    )  # fmt: skip
    assert library["gemeentecode"] == "GM0344" and library["buurtcode"].startswith("BU0344")
    assert records.loc["osm-node-2", "geopend"] == "1985"
    assert records.loc["osm-node-3", "soort"] == "huis_van_de_wijk"
    assert records.loc["osm-node-4", "gemeentecode"] == "GM0599"
    mosque = records.loc["osm-way-10"]
    assert (mosque["soort"], mosque["actortype"], mosque["gemeentecode"]) == (
        "moskee",
        "religieuze_organisatie",
        "GM0344",
    )
    # The way's point is the centre of its square.
    assert mosque["lon"] == pytest.approx(UTRECHT_3[0] + 0.0002) and mosque["lat"] == pytest.approx(
        UTRECHT_3[1] + 0.0002
    )
    assert (records["gesloten"] == "").all()
    assert summary.date == "2025-03-01"
    assert summary.skipped == {osm.OTHER_OBJECTS: 1, "buiten elke buurt": 1}
    assert len(summary.opened) == 5 and not summary.closed
    assert summary.covered == ["GM0344", "GM0599"]


def test_the_same_extract_as_xml_or_overpass_json_gives_the_same_records(store, first_pbf, tmp_path):
    xml = write_osmium(tmp_path / "eerste.osm", FIRST_NODES, FIRST_WAYS, None, RANDSTAD_BOX)
    summary = osm.import_osm(xml)
    assert summary.date == "2024-01-01"  # no header timestamp: the newest edit
    from_xml = stored_osm(store)
    summary = osm.import_osm(first_pbf)
    assert not summary.opened and not summary.changed and summary.unchanged == 5
    from_pbf = stored_osm(store)
    pd.testing.assert_frame_equal(from_pbf, from_xml)

    elements = [
        {"type": "node", "id": n["id"], "lat": n["lat"], "lon": n["lon"], "tags": n["tags"]} for n in FIRST_NODES
    ]
    elements.append({"type": "way", "id": 10, "center": {"lat": UTRECHT_3[1] + 0.0002, "lon": UTRECHT_3[0] + 0.0002},
                     "tags": FIRST_WAYS[0][2]})  # fmt: skip
    elements.append({"type": "relation", "id": 99, "tags": {"amenity": "place_of_worship", "religion": "christian"}})
    elements.append({"type": "way", "id": 11, "nodes": [1, 2], "tags": {"amenity": "library"}})  # out body: no point
    overpass = tmp_path / "overpass.json"
    overpass.write_text(json.dumps({"osm3s": {"timestamp_osm_base": "2025-03-02T10:00:00Z"}, "elements": elements}))
    summary = osm.import_osm(overpass)
    assert summary.date == "2025-03-02"
    assert summary.skipped["relatie (niet gelezen)"] == 1
    assert summary.skipped["zonder ligging (gebruik out center)"] == 1
    assert summary.unchanged == 5 and not summary.closed
    pd.testing.assert_frame_equal(stored_osm(store), from_pbf, check_exact=False)


def test_an_xml_osm_timestamp_is_the_extract_date_also_compressed(store, tmp_path):
    import gzip

    xml = write_osmium(tmp_path / "x.osm", FIRST_NODES[:1], timestamp=None)
    text = xml.read_text().replace("<osm ", '<osm timestamp="2025-05-06T07:08:09Z" ', 1)
    xml.write_text(text)
    assert osm.read_extract(xml).date == "2025-05-06"
    packed = tmp_path / "x.osm.gz"
    packed.write_bytes(gzip.compress(text.encode("utf-8")))
    extract = osm.read_extract(packed)
    assert extract.date == "2025-05-06" and [item.record_id for item in extract.objects] == ["osm-node-1"]


def test_a_newer_extract_updates_closes_what_vanished_in_its_gemeenten_and_not_elsewhere(store, first_pbf, tmp_path):
    osm.import_osm(first_pbf)
    # Newer, of Utrecht only: the library is renamed, the buurthuis is gone, the
    # Rotterdam shop is outside its box (so not closed), a food bank is new.
    newer_nodes = [
        node(1, UTRECHT, {"amenity": "library", "name": "Bibliotheek Neude (centrale)", "operator:type": "government"}),
        node(3, UTRECHT_3, {"amenity": "community_centre", "name": "Huiskamer van Kanaleneiland"}),
        node(8, UTRECHT_2, {"social_facility": "food_bank", "name": "Voedselbank Utrecht"}),
    ]
    newer = write_osmium(tmp_path / "tweede.osm.pbf", newer_nodes, FIRST_WAYS, "2025-09-15T00:00:00Z", UTRECHT_BOX)
    summary = osm.import_osm(newer)
    records = stored_osm(store)
    assert records.loc["osm-node-1", "naam"] == "Bibliotheek Neude (centrale)"
    assert records.loc["osm-node-2", "gesloten"] == "2025-09-15"
    assert "2025-09-15" in records.loc["osm-node-2", "omschrijving"]
    assert records.loc["osm-node-4", "gesloten"] == ""  # Rotterdam: not covered by this extract
    assert records.loc["osm-node-8", "soort"] == "voedselbank"
    assert len(records) == 6  # updated, not duplicated
    assert summary.covered == ["GM0344"]
    assert summary.changed == ["Bibliotheek Neude (centrale)"]
    assert summary.closed == ["Buurthuis De Pijl"]
    assert summary.opened == ["Voedselbank Utrecht"]
    lines = "\n".join(osm.report(summary))
    assert "gesloten: 1: Buurthuis De Pijl" in lines and "nieuw: 1: Voedselbank Utrecht" in lines

    # It comes back in a later extract: open again.
    third = write_osmium(tmp_path / "derde.osm.pbf", [*newer_nodes, FIRST_NODES[1]], FIRST_WAYS,
                         "2026-01-10T00:00:00Z", UTRECHT_BOX)  # fmt: skip
    summary = osm.import_osm(third)
    assert stored_osm(store).loc["osm-node-2", "gesloten"] == ""
    assert summary.reopened == ["Buurthuis De Pijl"] and not summary.closed


def test_a_newer_extract_keeps_the_day_a_beheerder_confirmed_a_record(store, first_pbf, tmp_path):
    from wijkmap.data import batches

    osm.import_osm(first_pbf)
    batches.confirm(["osm-node-1", "osm-node-3"], account="anna", on="2025-06-01")
    nodes = [FIRST_NODES[0], node(3, UTRECHT_3, {"amenity": "community_centre", "name": "Huiskamer Kanaleneiland"})]
    osm.import_osm(write_osmium(tmp_path / "tweede.osm.pbf", nodes, FIRST_WAYS, "2025-09-15T00:00:00Z", UTRECHT_BOX))
    records = stored_osm(store)
    assert records.loc[["osm-node-1", "osm-node-3"], "laatst_gecontroleerd"].tolist() == ["2025-06-01"] * 2
    assert records.loc["osm-way-10", "laatst_gecontroleerd"] == ""


def test_named_gemeenten_are_the_ones_closed_in_and_the_only_ones_imported(store, first_pbf, tmp_path):
    osm.import_osm(first_pbf)
    only_utrecht_objects = write_osmium(tmp_path / "b.osm.pbf", FIRST_NODES[:1], (), "2025-06-01T00:00:00Z")
    summary = osm.import_osm(only_utrecht_objects, gemeenten=["GM0599"])
    records = stored_osm(store)
    assert records.loc["osm-node-4", "gesloten"] == "2025-06-01"  # Rotterdam named: its shop vanished
    assert records.loc["osm-node-2", "gesloten"] == ""  # Utrecht not named
    assert summary.skipped["buiten de gekozen gemeenten"] == 1


def test_a_gemeente_found_from_the_box_is_not_emptied_by_an_extract_that_only_reaches_into_it(
    store, first_pbf, tmp_path
):
    osm.import_osm(first_pbf)
    # Of Utrecht's four open records only the library is in this extract.
    sparse = write_osmium(tmp_path / "rand.osm.pbf", FIRST_NODES[:1], (), "2025-06-01T00:00:00Z", UTRECHT_BOX)
    summary = osm.import_osm(sparse)
    assert (stored_osm(store)["gesloten"] == "").all()
    assert summary.covered == [] and "--gemeente GM0344" in summary.warnings[0]


def test_end_date_and_disused_tags_close_a_record(store, tmp_path):
    extract = write_osmium(
        tmp_path / "dicht.osm.pbf",
        [
            node(21, UTRECHT, {"disused:amenity": "library", "name": "Oude bieb"}, edited="2023-04-05"),
            node(22, UTRECHT_2, {"amenity": "community_centre", "name": "Wijkcentrum", "end_date": "2024-05"}),
        ],
        timestamp="2025-03-01T00:00:00Z",
    )
    summary = osm.import_osm(extract)
    records = stored_osm(store)
    assert records.loc["osm-node-21", ["soort", "gesloten"]].tolist() == ["bibliotheek", "2023-04-05"]
    assert "disused" in records.loc["osm-node-21", "omschrijving"]
    assert records.loc["osm-node-22", "gesloten"] == "2024-05"
    assert sorted(summary.closed) == ["Oude bieb", "Wijkcentrum"]


def test_an_older_extract_than_the_last_one_is_refused_and_nothing_is_written(store, first_pbf, tmp_path):
    osm.import_osm(first_pbf)
    before = stored_osm(store)
    older = write_osmium(tmp_path / "oud.osm.pbf", FIRST_NODES[:1], (), "2024-12-01T00:00:00Z", UTRECHT_BOX)
    with pytest.raises(osm.OsmError, match=r"oud.osm.pbf is van 2024-12-01, ouder dan het extract eerste.osm.pbf"):
        osm.import_osm(older)
    pd.testing.assert_frame_equal(stored_osm(store), before)


def test_a_rebuild_keeps_the_records_and_the_day_of_the_last_extract(store, first_pbf, tmp_path):
    from wijkmap.data.build import build_store

    osm.import_osm(first_pbf)
    build_store(store, gemeenten=["GM0344", "GM0599", "GM0363"])
    assert len(stored_osm(store)) == 5
    with closing(sqlite3.connect(store)) as connection:
        assert osm.last_extracts(connection)["GM0344"] == ("2025-03-01", "eerste.osm.pbf")


def records_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {RECORDS}").fetchone()[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kapot.osm.pbf", b"hello world, no pbf", "kapot.osm.pbf: geen leesbaar OpenStreetMap-bestand (PBF error"),
        ("leeg.osm", b"<html><body>x</body></html>", "leeg.osm: geen leesbaar OpenStreetMap-bestand"),
        ("fout.json", b'{"elements": [', "fout.json: geen geldige JSON (regel 1, kolom 15"),
        ("anders.json", b'{"type": "FeatureCollection"}', 'anders.json: geen Overpass-JSON: het veld "elements"'),
        ("punt.json", b'{"elements": [{"type": "node", "id": 1, "lat": "x", "lon": 5, "tags": {"amenity": "library"}}]}',
         'punt.json: node 1: veld "lat" is geen getal'),
        ("kaart.geojson", b"{}", "kaart.geojson: onbekend bestandstype"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_dutch_message_naming_it_and_nothing_is_written(
    store, tmp_path, capsys, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = records_count(store)
    assert main(["import-osm", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: ") and message in err, err
    assert records_count(store) == before


def test_a_truncated_pbf_is_refused(store, first_pbf, tmp_path):
    truncated = tmp_path / "half.osm.pbf"
    truncated.write_bytes(first_pbf.read_bytes()[:-40])
    with pytest.raises(osm.OsmError, match="half.osm.pbf: geen leesbaar OpenStreetMap-bestand"):
        osm.import_osm(truncated)
    assert stored_osm(store).empty


def test_the_limits_refuse_a_file_too_large_or_with_too_many_provisions(store, first_pbf, monkeypatch):
    monkeypatch.setattr(config, "OSM_MAX_OBJECTS", 3)
    with pytest.raises(osm.OsmError, match="meer dan 3 voorzieningen"):
        osm.import_osm(first_pbf)
    monkeypatch.setattr(config, "OSM_MAX_PBF_BYTES", 100)
    with pytest.raises(osm.OsmError, match="groter dan de grens"):
        osm.import_osm(first_pbf)
    assert stored_osm(store).empty


def test_an_unknown_gemeente_is_refused(store, first_pbf):
    with pytest.raises(osm.OsmError, match="--gemeente GM9999: deze gemeente staat niet"):
        osm.import_osm(first_pbf, gemeenten=["GM9999"])
    with pytest.raises(osm.OsmError, match="--gemeente Utrecht: geen gemeentecode"):
        osm.import_osm(first_pbf, gemeenten=["Utrecht"])


def test_the_command_imports_and_reports(store, first_pbf, capsys):
    assert main(["import-osm", str(first_pbf), "--gemeente", "GM0344", "0599"]) == 0
    out = capsys.readouterr().out
    assert "Geïmporteerd uit eerste.osm.pbf (extract van 2025-03-01)" in out
    assert "nieuw: 5: Bibliotheek Neude, Buurthuis De Pijl, Huiskamer van Kanaleneiland" in out
    assert f"{osm.OTHER_OBJECTS}: 1" in out and "buiten elke buurt: 1" in out
    assert "Gedekte gemeenten (wat daar ontbreekt, is gesloten): GM0344, GM0599" in out
    assert "© OpenStreetMap-bijdragers (ODbL)" in out
    assert len(stored_osm(store)) == 5


def test_the_credit_goes_with_the_records_on_the_map_and_in_exports(store, first_pbf):
    osm.import_osm(first_pbf)
    records = read_records(store)
    assert "© OpenStreetMap-bijdragers (ODbL)" in sources_credit(records, "nl").split(" · ")
    assert "OpenStreetMap" not in sources_credit(records.loc[records["bron"] != "OpenStreetMap"], "nl")
    exported = export_records(records, "csv").decode("utf-8-sig")
    header, *rows = exported.splitlines()
    assert CREDIT_COLUMN in header.split(";")
    osm_rows = [row for row in rows if row.startswith("osm-")]
    assert osm_rows and all(row.endswith(";© OpenStreetMap-bijdragers (ODbL)") for row in osm_rows)
    geojson = json.loads(export_records(records, "geojson"))
    credits = {f["id"]: f["properties"][CREDIT_COLUMN] for f in geojson["features"]}
    assert credits["osm-node-1"] == vocab.OSM_CREDIT
    assert {credit for key, credit in credits.items() if not key.startswith("osm-")} == {""}


def test_the_change_model_counts_a_closure_from_a_newer_extract_as_disappeared(store, first_pbf, tmp_path):
    osm.import_osm(first_pbf)
    newer = write_osmium(tmp_path / "tweede.osm.pbf", FIRST_NODES[:1] + FIRST_NODES[2:4], FIRST_WAYS,
                         "2025-09-15T00:00:00Z", UTRECHT_BOX)  # fmt: skip
    osm.import_osm(newer)
    records = read_records(store, bron=vocab.OSM_BRON)
    statuses = model.status(records, 2025, 2025)
    assert statuses.loc["osm-node-2", "status"] == "verdwenen"
    assert statuses.loc["osm-node-1", "status"] == "blijvend"
    assert "osm-node-2" not in model.status(records, 2026, 2026).index  # closed before that period


def test_an_older_extract_leaves_alone_what_a_newer_one_brought_in_gemeenten_it_only_reaches_into(
    store, first_pbf, tmp_path
):
    osm.import_osm(first_pbf)  # 2025-03-01: Utrecht and Rotterdam
    renamed = {"amenity": "library", "name": "Bibliotheek Neude (nieuw)", "operator:type": "government"}
    osm.import_osm(write_osmium(tmp_path / "utrecht.osm.pbf", [node(1, UTRECHT, renamed)], FIRST_WAYS,
                                "2025-09-15T00:00:00Z", UTRECHT_BOX))  # fmt: skip
    # Dated between the two; its box holds Rotterdam wholly and Utrecht only in part.
    between = write_osmium(
        tmp_path / "zuid.osm.pbf",
        [node(1, UTRECHT, {"amenity": "library", "name": "Bibliotheek Neude (oud)"}),
         node(4, ROTTERDAM, {"shop": "second_hand", "name": "Kringloop Coolsingel B.V."})],
        timestamp="2025-06-01T00:00:00Z", box=(3.5, 51.7, 5.12, 52.2),
    )  # fmt: skip
    summary = osm.import_osm(between)
    records = stored_osm(store)
    assert records.loc["osm-node-1", "naam"] == "Bibliotheek Neude (nieuw)"
    assert records.loc["osm-node-4", "naam"] == "Kringloop Coolsingel B.V."
    assert summary.covered == ["GM0599"] and summary.skipped["in gemeenten van een nieuwer extract"] == 1


def test_the_records_layer_of_the_map_credits_openstreetmap(store, first_pbf):
    import folium

    from wijkmap.map import layers as mapview

    osm.import_osm(first_pbf)
    shown = read_records(store, gemeentecode="GM0344")
    m = folium.Map()
    mapview.RecordLayer(shown, "nl", attribution=sources_credit(shown, "nl")).add_to(m)
    assert '"attribution":"' in m.get_root().render()
    credit = m.get_root().render().split('"attribution":"')[1].split('"')[0]
    assert "© OpenStreetMap-bijdragers (ODbL)" in credit.split(" · ")
