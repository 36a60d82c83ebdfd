"""council.reach on square buurten with provisions at known points: the shares are
parts of circles, worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.council import handmade
from tests.council.handmade import SIDE, X0, Y0
from wijkmap.council.reach import covered_shares, reach

CODES = ["BU00010001", "BU00010002"]
KM2 = SIDE * SIDE
# shapely draws a circle as a polygon of 64 sides: a hair smaller than the true circle
# (0.2% of a whole one, a little more of a thin segment). The page shows whole percents.
CLOSE = 5e-3


def figures(**extra):
    base = {
        "inwoners": {CODES[0]: 1000, CODES[1]: 2000},
        "pct_65plus": {CODES[0]: 20, CODES[1]: 10},
        "huishoudens": {CODES[0]: 500, CODES[1]: 1000},
        "pct_eenpersoonshuishoudens": {CODES[0]: 40, CODES[1]: 50},
        "pct_0_14": {CODES[0]: 10, CODES[1]: 15},
    }
    base.update(extra)
    return handmade.statistics(base)


def test_a_provision_at_the_corner_reaches_a_quarter_circle_of_the_square():
    areas = handmade.squares(CODES[:1])
    records = handmade.records(handmade.record("hoek", X0, Y0, CODES[0]))
    table = reach(areas, records, figures(), 2024)
    assert table.loc[CODES[0], "inwoners"] == 1000
    assert table.loc[CODES[0], "aandeel_500"] == pytest.approx(math.pi * 500**2 / 4 / KM2, rel=CLOSE)  # 0.196
    assert table.loc[CODES[0], "aandeel_1000"] == pytest.approx(math.pi * 1000**2 / 4 / KM2, rel=CLOSE)  # 0.785


def test_a_provision_in_the_middle_reaches_a_whole_circle_and_at_1_km_the_whole_square():
    areas = handmade.squares(CODES[:1])
    records = handmade.records(handmade.record("midden", X0 + 500, Y0 + 500, CODES[0]))
    table = reach(areas, records, figures(), 2024)
    assert table.loc[CODES[0], "aandeel_500"] == pytest.approx(math.pi * 500**2 / KM2, rel=CLOSE)  # 0.785
    assert table.loc[CODES[0], "aandeel_1000"] == pytest.approx(1.0)  # the corners are 707 m off


def test_a_provision_across_the_border_reaches_the_neighbouring_buurt():
    """Two squares 200 m apart; a provision in the middle of the first one's right edge
    reaches 300 m into the second at 500 m: a circle segment of radius 500, 300 m deep."""
    areas = handmade.squares(CODES, gap=200)
    records = handmade.records(handmade.record("rand", X0 + SIDE, Y0 + SIDE / 2, CODES[0]))
    table = reach(areas, records, figures(), 2024)
    r, d = 500.0, 200.0  # radius, distance from the centre to the chord
    segment = r**2 * math.acos(d / r) - d * math.sqrt(r**2 - d**2)
    assert table.loc[CODES[1], "aandeel_500"] == pytest.approx(segment / KM2, rel=CLOSE)
    assert table.loc[CODES[0], "aandeel_500"] == pytest.approx(math.pi * r**2 / 2 / KM2, rel=CLOSE)


def test_no_provision_is_no_reach_and_the_category_chooses_which_count():
    areas = handmade.squares(CODES[:1])
    records = handmade.records(handmade.record("midden", X0 + 500, Y0 + 500, CODES[0], soort="repair_cafe"))
    assert reach(areas, records.iloc[0:0], figures(), 2024).loc[CODES[0], "aandeel_1000"] == 0
    assert reach(areas, records, figures(), 2024, categorie="klassiek").loc[CODES[0], "aandeel_500"] == 0
    popup = reach(areas, records, figures(), 2024, categorie="popup")
    assert popup.loc[CODES[0], "aandeel_500"] == pytest.approx(math.pi / 4, rel=CLOSE)


def test_target_groups_count_their_residents_and_the_provisions_for_them_or_for_everyone():
    areas = handmade.squares(CODES[:1])
    records = handmade.records(
        handmade.record("voor iedereen", X0, Y0, CODES[0], doelgroep="iedereen"),
        handmade.record("voor jongeren", X0 + 500, Y0 + 500, CODES[0], doelgroep="jongeren"),
    )
    row = reach(areas, records, figures(), 2024).loc[CODES[0]]
    assert row["ouderen"] == 200 and row["alleenstaanden"] == 200 and row["jongeren"] == 100
    quarter, circle = math.pi * 500**2 / 4 / KM2, math.pi * 500**2 / KM2
    # Older people: only the corner provision is for them (iedereen).
    assert row["ouderen_aandeel_500"] == pytest.approx(quarter, rel=CLOSE)
    # Young people: both, whose circles (707 m apart, radius 500 m) overlap in a lens:
    # more than the middle circle, less than it and the corner's quarter together.
    assert row["jongeren_aandeel_500"] > circle * (1 - CLOSE)
    assert row["jongeren_aandeel_500"] < (circle + quarter) * (1 + CLOSE)
    assert row["aandeel_500"] == pytest.approx(row["jongeren_aandeel_500"])


def test_a_group_without_figures_gets_no_columns():
    areas = handmade.squares(CODES[:1])
    stats = handmade.statistics({"inwoners": {CODES[0]: 1000}})
    table = reach(areas, handmade.records(), stats, 2024)
    assert list(table.columns) == ["inwoners", "aandeel_500", "aandeel_1000"]


def test_many_buurten_along_a_line_of_provisions_each_get_their_own_share():
    """300 squares in a row, a provision 300 m into every second one (at y = 300 m): the
    squares with one reach the same share, those between them less, none more than all."""
    codes = [f"BU0001{i:04d}" for i in range(300)]
    areas = handmade.squares(codes)
    records = handmade.records(
        *(handmade.record(f"r{i}", X0 + i * SIDE + 300, Y0 + 300, codes[i]) for i in range(0, 300, 2))
    )
    table = reach(areas, records, figures(inwoners=dict.fromkeys(codes, 1000)), 2024)
    inner = table["aandeel_500"].iloc[2:-2]
    assert inner.iloc[::2].round(6).nunique() == 1 and inner.iloc[1::2].round(6).nunique() == 1
    assert (inner.iloc[1::2].to_numpy() < inner.iloc[::2].to_numpy()).all()
    assert table["aandeel_1000"].between(0, 1).all() and (table["aandeel_1000"] >= table["aandeel_500"]).all()


def scattered(seed: int):
    """40 squares 300 m apart and 61 provisions: 60 at random over all but the last
    squares (those get none), and one that holds the first square within 1 km."""
    rng = np.random.default_rng(seed)
    areas = handmade.squares([f"BU0001{i:04d}" for i in range(40)], gap=300).geometry.reset_index(drop=True)
    xs = rng.uniform(X0, X0 + 40 * (SIDE + 300) - 20_000, 60)
    points = np.column_stack([xs, rng.uniform(Y0 - 800, Y0 + SIDE + 800, 60)])
    return areas, np.vstack([points, [X0 + 500, Y0 + 500]])


def share_within(areas, points, distance, **limits):
    """covered_shares for one distance."""
    return covered_shares(areas, points, [distance], **limits)[distance]


@pytest.mark.parametrize("distance", [500, 1000])
def test_joining_circles_per_area_gives_the_same_shares_as_joining_them_all(distance):
    """Many provisions take the per-area way (covered_shares' local_above); its answer is
    the same, also where one circle holds a whole area and where none reaches one."""
    areas, points = scattered(seed=7)
    together = share_within(areas, points, distance, local_above=10**9)
    per_area = share_within(areas, points, distance, local_above=0)
    assert np.allclose(together, per_area, atol=1e-9)
    assert (together[-10:] == 0).all() and together.max() > 0
    if distance == 1000:
        assert per_area[0] == 1.0


@pytest.mark.parametrize("distance", [500, 1000])
def test_with_very_many_provisions_a_grid_of_samples_gives_the_shares_within_a_point(distance):
    """Above sampled_above the share is measured on sample points: within 1.5 percentage
    points of the joined circles, 0 where no circle reaches, 1 where one holds the area."""
    areas, points = scattered(seed=11)
    exact = share_within(areas, points, distance, sampled_above=10**9)
    sampled = share_within(areas, points, distance, sampled_above=0)
    assert np.abs(sampled - exact).max() < 0.015, np.abs(sampled - exact).max()
    assert (sampled[-10:] == 0).all() and sampled.mean() > 0.2
    if distance == 1000:
        assert sampled[0] == 1.0


@pytest.mark.parametrize("sampled_above", [0, 10**9], ids=["sampled", "exact"])
def test_every_distance_at_once_gives_each_distance_alone(sampled_above):
    """The sampled way measures every distance in one nearest-provision query per sample."""
    areas, points = scattered(seed=11)
    together = covered_shares(areas, points, [500, 1000], sampled_above=sampled_above)
    for distance in (500, 1000):
        alone = share_within(areas, points, distance, sampled_above=sampled_above)
        assert np.array_equal(together[distance], alone, equal_nan=True)
    assert (together[500] <= together[1000]).all() and together[500].max() > 0
