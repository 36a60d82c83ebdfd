"""Kaart's Hoge nood section from a link (AppTest on the small store): the need profile
and the reach category of the URL set the 'Nood en bereik' widgets, the ranking shows
a z column per indicator, and a link naming an indicator that says nothing about need
gets a warning naming it."""

from __future__ import annotations

import functools

from streamlit.testing.v1 import AppTest

from tests.kaart_app import kaart as open_kaart

kaart = functools.partial(open_kaart, timeout=120)


def ranking_frame(app: AppTest):
    frames = [frame.value for frame in app.dataframe if "Rang" in list(frame.value.columns)]
    assert len(frames) == 1, [list(frame.value.columns) for frame in app.dataframe]
    return frames[0]


def test_the_link_sets_the_need_profile_and_the_ranking_shows_its_parts(store):
    app = kaart(gemeente="GM0344", nood="pct_65plus:3,bijstand_per_1000", bereik="klassiek")
    assert app.multiselect(key="nood_indicators").value == ["pct_65plus", "bijstand_per_1000"]
    assert app.slider(key="nood_weight_pct_65plus").value == 3
    assert app.slider(key="nood_weight_bijstand_per_1000").value == 1
    assert app.selectbox(key="view_bereik").value == "klassiek"
    frame = ranking_frame(app)
    assert {"z · Inwoners van 65 jaar of ouder (%)", "z · Bijstand per 1.000 inwoners"} <= set(frame.columns)
    assert frame["Rang"].tolist() == list(range(1, len(frame) + 1)) and len(frame) > 0
    captions = "\n".join(caption.value for caption in app.caption)
    assert "Een signaal, geen oordeel." in captions and "looproutes" in captions
    assert "fictieve voorbeeld" in captions  # the sample is among the provisions


def test_a_weight_changed_in_the_sidebar_goes_into_the_link(store):
    app = kaart(gemeente="GM0344", nood="pct_65plus")
    app.slider(key="nood_weight_pct_65plus").set_value(4).run()
    assert not app.exception
    assert app.query_params["nood"] == "pct_65plus:4"


def test_an_indicator_without_a_direction_of_need_is_named_and_left_out(store):
    app = kaart(gemeente="GM0344", nood="bevolkingsdichtheid,pct_65plus")
    warnings = "\n".join(warning.value for warning in app.warning)
    assert "bevolkingsdichtheid" in warnings and "Niet in het nood-profiel opgenomen" in warnings
    assert "z · Inwoners van 65 jaar of ouder (%)" in ranking_frame(app).columns
    # The link is rewritten without it; once the person chooses anew, the note is past.
    assert app.query_params["nood"] == "pct_65plus"
    app.slider(key="nood_weight_pct_65plus").set_value(2).run()
    assert not any("bevolkingsdichtheid" in warning.value for warning in app.warning)
