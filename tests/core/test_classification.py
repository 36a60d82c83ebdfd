"""Class breaks as a map's legend shows them: the same as mapclassify's."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from wijkmap.core.classification import classify, natural_breaks

SCHEMES = ["quantiles", "equal_interval", "natural_breaks"]
MAPCLASSIFY = {"quantiles": "Quantiles", "equal_interval": "EqualInterval", "natural_breaks": "FisherJenks"}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_classes_keep_missing_values_apart(scheme):
    values = pd.Series([10.0, 20.0, None, 30.0, 40.0, 50.0, 60.0], index=list("abcdefg"))
    result = classify(values, scheme, 3)
    assert result.classes["c"] == -1
    assert len(result.bins) == 3 and result.bins[-1] == 60.0
    assert result.classes.drop("c").is_monotonic_increasing
    assert result.classes["a"] == 0 and result.classes["g"] == 2
    assert result.lower == 10.0


@pytest.mark.parametrize("scheme", SCHEMES)
def test_fewer_distinct_values_than_classes(scheme):
    result = classify(pd.Series([5.0, 5.0, 7.0]), scheme, 5)
    assert result.bins == ([6.0, 7.0] if scheme == "equal_interval" else [5.0, 7.0])
    assert list(result.classes) == [0, 0, 1]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_one_value_is_one_class(scheme):
    result = classify(pd.Series([3.0, 3.0, math.nan]), scheme, 5)
    assert result.bins == [3.0] and list(result.classes) == [0, 0, -1]


def test_all_missing_gives_no_classes():
    result = classify(pd.Series([math.nan, math.nan]), "quantiles", 5)
    assert result.bins == [] and (result.classes == -1).all()


def test_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="jenks"):
        classify(pd.Series([1.0, 2.0]), "jenks", 2)


def test_natural_breaks_separate_obvious_groups():
    values = pd.Series([1.0, 1.2, 0.9, 10.0, 10.5, 9.8, 30.0, 31.0])
    result = classify(values, "natural_breaks", 3)
    assert result.bins == [1.2, 10.5, 31.0]
    assert list(result.classes) == [0, 0, 0, 1, 1, 1, 2, 2]


def test_quantiles_merge_breaks_that_many_areas_share():
    # Half the buurten at 0: the lower quantiles coincide and become one class.
    result = classify(pd.Series([0.0] * 10 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]), "quantiles", 5)
    assert result.bins[0] == 0.0 and len(result.bins) == len(set(result.bins)) == 4
    assert (result.classes[:10] == 0).all()


def _samples():
    """Figures as CBS gives them: skewed, rounded to whole numbers or not, small or in the
    hundred thousands (WOZ), a few areas or many."""
    rng = np.random.default_rng(20261202)
    for trial in range(30):
        x = rng.gamma(2.0, 5.0, int(rng.integers(8, 300)))
        if trial % 3 == 0:
            x = np.round(x)
        if trial % 4 == 0:
            x = x * 25_000
        yield trial, x, int(rng.integers(2, 9))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_breaks_and_classes_agree_with_mapclassify(scheme):
    mapclassify = pytest.importorskip("mapclassify")  # a test dependency (requirements-dev)
    for trial, x, k in _samples():
        k = min(k, len(np.unique(x)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            expected = getattr(mapclassify, MAPCLASSIFY[scheme])(x, k=k)
        result = classify(pd.Series(x), scheme, k)
        assert np.allclose(result.bins, expected.bins, rtol=1e-12), (trial, scheme)
        # A value exactly on a quantile falls in the lower class; mapclassify computes the
        # percentile a rounding error beside ours (scipy, np.arange steps), so there the
        # class may differ. Everywhere else it is the same.
        on_break = np.isclose(x[:, None], np.asarray(expected.bins)[None, :], rtol=1e-12, atol=0).any(axis=1)
        if scheme != "quantiles":
            on_break[:] = False
        assert (result.classes.to_numpy()[~on_break] == expected.yb[~on_break]).all(), (trial, scheme)


def test_natural_breaks_are_optimal():
    """No partition into 3 classes has less squared deviation (all are tried)."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.gamma(2.0, 5.0, 40))

    def deviation(parts):
        return sum(((p - p.mean()) ** 2).sum() for p in parts)

    bins = natural_breaks(x, 3)
    ours = deviation(np.split(x, np.searchsorted(x, bins[:-1], side="right")))
    best = min(deviation(np.split(x, [a, b])) for a in range(1, 39) for b in range(a + 1, 40))
    assert ours == pytest.approx(best, rel=1e-12)
