"""council.need on figures small enough to standardise by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.council import handmade
from wijkmap.council.need import NeedProfile, indicator_year, need_scores, profile_for, zscores

A = ["BU00010001", "BU00010002", "BU00010003"]  # gemeente GM0001
B = ["BU00020001", "BU00020002"]  # gemeente GM0002
Z = math.sqrt(1.5)  # (30 - 20) / population sd of 10, 20, 30 (sqrt(200 / 3))


def figures(**extra) -> pd.DataFrame:
    base = {
        "inwoners": dict.fromkeys(A + B, 1000),
        "pct_65plus": {A[0]: 10, A[1]: 20, A[2]: 30, B[0]: 5, B[1]: 5},
        "gemiddeld_inkomen_per_inwoner": {A[0]: 1, A[1]: 2, A[2]: 3, B[0]: 40, B[1]: 20},
    }
    base.update(extra)
    return handmade.statistics(base)


def test_each_indicator_is_a_z_score_within_its_own_gemeente_signed_so_higher_is_more_need():
    scores = need_scores(
        figures(), handmade.catalogue(), A + B, 2024, NeedProfile(["pct_65plus", "gemiddeld_inkomen_per_inwoner"])
    )
    assert scores.loc[A, "pct_65plus"].tolist() == pytest.approx([-Z, 0, Z])
    # A higher income is less need: the sign turns.
    assert scores.loc[A, "gemiddeld_inkomen_per_inwoner"].tolist() == pytest.approx([Z, 0, -Z])
    # GM0002 is standardised on its own: equal values stand out nowhere; 40 vs 20 is -1 / +1.
    assert scores.loc[B, "pct_65plus"].tolist() == [0, 0]
    assert scores.loc[B, "gemiddeld_inkomen_per_inwoner"].tolist() == pytest.approx([-1, 1])
    assert scores.loc[B, "score"].tolist() == pytest.approx([-0.5, 0.5])
    assert (scores["n_indicators"] == 2).all()


def test_the_score_is_the_mean_weighted_by_the_profile():
    profile = NeedProfile(["pct_65plus", "gemiddeld_inkomen_per_inwoner"], {"pct_65plus": 3})
    scores = need_scores(figures(), handmade.catalogue(), A, 2024, profile)
    # (3 * z65 + 1 * zinkomen) / 4: (3 * -Z + Z) / 4 for the first buurt.
    assert scores["score"].tolist() == pytest.approx([-Z / 2, 0, Z / 2])


def test_a_missing_figure_leaves_the_others_and_is_counted():
    stats = figures(gemiddeld_inkomen_per_inwoner={A[0]: 1, A[1]: 3})  # none for A[2]
    scores = need_scores(
        stats, handmade.catalogue(), A, 2024, NeedProfile(["pct_65plus", "gemiddeld_inkomen_per_inwoner"])
    )
    assert scores.loc[A[2], "score"] == pytest.approx(Z)  # its 65+ z alone
    assert scores["n_indicators"].tolist() == [2, 2, 1]


def test_areas_with_few_inwoners_get_no_score_and_do_not_count_in_the_mean():
    stats = figures(inwoners={A[0]: 1000, A[1]: 1000, A[2]: 40, B[0]: 1000, B[1]: 1000})
    scores = need_scores(stats, handmade.catalogue(), A, 2024, NeedProfile(["pct_65plus"]))
    assert pd.isna(scores.loc[A[2], "score"]) and scores.loc[A[2], "n_indicators"] == 0
    assert scores.loc[A[:2], "pct_65plus"].tolist() == pytest.approx([-1, 1])  # 10 and 20 alone


def test_a_profile_is_checked_with_messages_that_name_the_problem():
    catalogue = handmade.catalogue()
    with pytest.raises(ValueError, match='onbekende indicator "nope"'):
        need_scores(figures(), catalogue, A, 2024, NeedProfile(["nope"]))
    with pytest.raises(ValueError, match='"bevolkingsdichtheid" zegt niets over nood'):
        need_scores(figures(), catalogue, A, 2024, NeedProfile(["bevolkingsdichtheid"]))
    with pytest.raises(ValueError, match="gewicht 9"):
        need_scores(figures(), catalogue, A, 2024, NeedProfile(["pct_65plus"], {"pct_65plus": 9}))
    with pytest.raises(ValueError, match="minstens één"):
        need_scores(figures(), catalogue, A, 2024, NeedProfile([]))


def test_the_year_used_is_the_asked_one_else_the_newest_before_it():
    stats = pd.concat([figures(), handmade.statistics({"pct_65plus": {A[0]: 1}}, jaar=2015)])
    assert indicator_year(stats, "pct_65plus", 2024, A) == 2024
    assert indicator_year(stats, "pct_65plus", 2020, A) == 2015
    assert indicator_year(stats, "pct_65plus", 2010, A) == 2015
    assert indicator_year(stats, "pct_0_14", 2024, A) is None


def test_zscores_by_hand():
    values = pd.Series([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], index=list("abcdefgh"))
    z = zscores(values, pd.Series("g", index=values.index))
    assert z.tolist() == pytest.approx([-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2])  # mean 5, sd 2


def test_the_profile_of_a_view_is_its_nood_else_the_map_indicator_when_that_says_something_about_need():
    catalogue = handmade.catalogue()
    profile, dropped = profile_for({"pct_65plus": 2, "nope": 1, "bevolkingsdichtheid": 1}, "inwoners", catalogue)
    assert profile == NeedProfile(["pct_65plus"], {"pct_65plus": 2.0}) and dropped == ["nope", "bevolkingsdichtheid"]
    assert profile_for({}, "pct_eenpersoonshuishoudens", catalogue)[0] == NeedProfile(["pct_eenpersoonshuishoudens"])
    assert profile_for({}, "bevolkingsdichtheid", catalogue) == (None, [])
