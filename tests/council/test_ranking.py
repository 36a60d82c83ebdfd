"""council.ranking on hand-made gemeenten: who is ranked, in what order, and who is not."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import openpyxl
import pandas as pd

from tests.council import handmade
from tests.council.handmade import SIDE, X0, Y0
from wijkmap.config import RD_NEW
from wijkmap.council import ranking as model
from wijkmap.council.need import NeedProfile

# Gemeente GM0001: eight buurten with provisions known; GM0002: two, with none known.
ONE = [f"BU000100{i:02d}" for i in range(1, 9)]
TWO = ["BU00020001", "BU00020002"]
PROFILE = NeedProfile(["pct_65plus"])


def setting(extra_records=()):
    codes = ONE + TWO
    areas = handmade.squares(codes)
    # Need rises with the buurt's number; GM0002's buurten are the neediest of all.
    pct = {code: 10 + i for i, code in enumerate(ONE)} | {TWO[0]: 60, TWO[1]: 70}
    stats = handmade.statistics({"inwoners": dict.fromkeys(codes, 1000), "pct_65plus": pct})
    # Buurten 7 and 8 are the neediest quarter of GM0001. A provision in the middle of
    # buurt 8 reaches all of it within 1 km and most within 500 m; buurt 7 has only the
    # part of that circle across its edge. Buurt 1 has a formal bonding provision only.
    records = handmade.records(
        handmade.record("in 8", X0 + 7 * SIDE + 500, Y0 + 500, ONE[7]),
        handmade.record("in 1", X0 + 500, Y0 + 500, ONE[0], strategie="bonding", actortype="gemeente"),
        *extra_records,
    )
    return areas, stats, records


def rank(**options) -> pd.DataFrame:
    areas, stats, records = setting(options.pop("extra_records", ()))
    return model.ranking(areas, stats, handmade.catalogue(), records, 2024, PROFILE, "buurt", **options)


def test_a_gemeente_without_provision_data_is_not_ranked_thin():
    frame = rank()
    two = frame.loc[TWO]
    assert (two["status"] == model.NO_PROVISION_DATA).all()
    assert two["rang"].isna().all()
    # No count, no reach: nothing about provisions is claimed there.
    assert two[["voorzieningen", "per_1000", "aandeel_500", "aandeel_1000"]].isna().all().all()
    assert set(frame.index[frame["status"] == model.RANKED]) == {ONE[6], ONE[7]}


def test_the_neediest_quarter_is_ranked_by_reach_least_first():
    frame = rank()
    ranked = frame[frame["status"] == model.RANKED]
    assert list(ranked.index) == [ONE[6], ONE[7]]  # 7 has less of its residents within 500 m
    assert ranked["rang"].tolist() == [1, 2]
    assert ranked.loc[ONE[6], "aandeel_500"] == 0  # the 500 m circle ends at its edge
    assert ranked.loc[ONE[7], "aandeel_500"] > 0.78
    assert ranked.loc[ONE[7], "voorzieningen"] == 1 and ranked.loc[ONE[7], "per_1000"] == 1
    assert (frame.loc[ONE[:6], "status"] == model.LESS_NEED).all()


def test_with_covered_given_the_gemeenten_known_before_filters_count():
    """Provisions filtered away are no lack of data: GM0002 known, nothing shown there."""
    frame = rank(covered={"GM0001", "GM0002"})
    # z-scores within each gemeente: GM0002's 60 and 70 are -1 and +1, GM0001's top two
    # +1.09 and +1.53; the neediest quarter of all ten z-scores holds those three.
    ranked = frame[frame["status"] == model.RANKED]
    assert list(ranked.index) == [TWO[1], ONE[6], ONE[7]]  # no reach at all first
    # Buurt TWO[0] borders buurt 8 of GM0001: its provision reaches across.
    assert frame.loc[TWO[1], "aandeel_1000"] == 0 and frame.loc[TWO[0], "aandeel_1000"] > 0.4


def test_too_few_residents_is_not_ranked():
    areas, stats, records = setting()
    stats.loc[(stats["indicator"] == "inwoners") & (stats["code"] == ONE[7]), "waarde"] = 100
    frame = model.ranking(areas, stats, handmade.catalogue(), records, 2024, PROFILE, "buurt")
    assert frame.loc[ONE[7], "status"] == model.FEW_RESIDENTS and pd.isna(frame.loc[ONE[7], "rang"])


def test_the_matrix_flags_formal_bonding_without_informal_bridging():
    frame = rank()
    assert frame.loc[ONE[0], "bonding_formeel"] == 1 and frame.loc[ONE[0], "bridging_informeel"] == 0
    assert bool(frame.loc[ONE[0], model.ONE_SIDED])
    assert frame.loc[ONE[7], "bridging_informeel"] == 1 and not frame.loc[ONE[7], model.ONE_SIDED]
    assert pd.isna(frame.loc[TWO[0], model.ONE_SIDED])


def test_the_page_table_shows_the_parts_and_the_export_holds_every_area_with_its_sources():
    frame = rank()
    catalogue = handmade.catalogue()
    table = model.ranking_table(frame, catalogue, PROFILE.indicators, "nl")
    assert list(table.index) == [ONE[6], ONE[7]]
    assert list(table.columns) == [
        "Rang",
        "Gebied",
        "Nood-score",
        "z · pct_65plus",
        "Bereik ≤ 500 m",
        "Bereik ≤ 1 km",
        "per 1.000 inw.",
        "Geen informeel bridging",
    ]
    assert table.iloc[1]["Bereik ≤ 1 km"] == "100%"
    exported = model.export_table(frame, 2024, "CBS; test", sample=True)
    rows = list(csv.DictReader(io.StringIO(model.export_bytes(exported, "csv").decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 10 and rows[0]["code"] == ONE[6] and rows[0]["rang"] == "1"
    assert {row["status"] for row in rows[2:]} == {model.LESS_NEED, model.NO_PROVISION_DATA}
    assert all(row["bron"] == "CBS; test" and "fictief" in row["let_op"] for row in rows)
    legend = model.export_legend(exported, catalogue, PROFILE, frame.attrs["jaren"])
    book = openpyxl.load_workbook(io.BytesIO(model.export_bytes(exported, "xlsx", legend)))
    assert book.sheetnames == ["gebieden", "indicatoren"]
    assert book["gebieden"]["A2"].value == ONE[6]
    explained = {row[0]: row[1] for row in book["indicatoren"].iter_rows(min_row=2, values_only=True)}
    assert "hemelsbreed" in explained["aandeel_500"] and "(2024)" in explained["pct_65plus"]


def test_the_geopackage_holds_the_ranking_with_its_outlines(tmp_path):
    areas, stats, records = setting()
    frame = model.ranking(areas, stats, handmade.catalogue(), records, 2024, PROFILE, "buurt")
    exported = model.export_table(frame, 2024, "CBS; test", sample=False)
    path = tmp_path / "rangorde.gpkg"
    path.write_bytes(model.export_bytes(exported, "gpkg", boundaries=areas))
    layer = gpd.read_file(path, layer="gebieden").set_index("code")
    assert len(layer) == 10 and layer.loc[ONE[6], "rang"] == 1 and (layer["bron"] == "CBS; test").all()
    # 1 km squares, in WGS84 in the file: back in RD New each is a square kilometre again.
    assert layer.to_crs(RD_NEW).area.round(-3).eq(1_000_000).all()


def test_a_name_that_looks_like_a_formula_stays_text_in_the_files():
    areas, stats, records = setting()
    areas.loc[0, "naam"] = '=HYPERLINK("http://x")'
    frame = model.ranking(areas, stats, handmade.catalogue(), records, 2024, PROFILE, "buurt")
    exported = model.export_table(frame, 2024, "CBS", sample=False)
    text = model.export_bytes(exported, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    book = openpyxl.load_workbook(io.BytesIO(model.export_bytes(exported, "xlsx")))
    names = [row[1] for row in book["gebieden"].iter_rows(min_row=2, values_only=True)]
    cell = next(c for c in book["gebieden"]["B"] if c.value == '=HYPERLINK("http://x")')
    assert '=HYPERLINK("http://x")' in names and cell.data_type == "s"
