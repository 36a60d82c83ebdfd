"""The view state survives a trip through the URL, and bad URLs don't break the page."""

from wijkmap.core.view import ViewState, from_query, to_query


def test_default_view_has_an_empty_query():
    assert to_query(ViewState()) == {}


def test_every_setting_round_trips_through_the_url():
    state = ViewState(
        gemeente="GM0344",
        niveau="wijk",
        indicator="pct_65plus",
        jaar=2024,
        schema="natural_breaks",
        klassen=7,
        palet="paars",
        lagen=["initiatief", "popup"],
        strategie=["bridging"],
        formaliteit=["informeel"],
        actortype=["bewoners", "kunstenaar"],
        categorie=["initiatief"],
        soort=["repair_cafe"],
        doelgroep=["ouderen"],
        tarief=["gratis"],
        tijdelijk="ja",
        peiljaar=2010,
        voorbeeld=False,
        bron=["Register Utrecht, 2026", "Repair Cafés in Amsterdam"],
        gebied="BU03440111",
        vergelijk=["BU03440111", "WK059901", "GM0363"],
        nood={"pct_65plus": 2, "bijstand_per_1000": 1},
        bereik="popup",
        lat=52.09123,
        lon=5.12345,
        zoom=13,
        lang="en",
    )
    query = to_query(state)
    restored, notes = from_query(query)
    assert notes == []
    assert restored == state


def test_all_layers_switched_off_is_kept_apart_from_the_default():
    state = ViewState(lagen=[])
    assert to_query(state) == {"lagen": "-"}
    assert from_query(to_query(state))[0].lagen == []


def test_gemeente_code_is_the_contract():
    state, notes = from_query({"gemeente": "GM0344"})
    assert state.gemeente == "GM0344" and notes == []
    assert from_query({"gemeente": "gm0344"})[0].gemeente == "GM0344"


def test_bad_values_are_dropped_with_a_note_not_a_crash():
    state, notes = from_query(
        {"gemeente": "Utrecht<script>", "klassen": "99", "soort": "kasteel", "lat": "abc", "zoom": "3"}
    )
    assert state == ViewState()
    assert sorted(notes) == sorted(["gemeente=Utrecht<script>", "klassen=99", "soort=kasteel", "lat=abc", "zoom=3"])


def test_parameters_of_other_pages_are_ignored():
    state, notes = from_query({"page": "x", "gemeente": "GM0599"})
    assert state.gemeente == "GM0599" and notes == []


def test_workshop_settings_round_trip_through_the_url():
    state = ViewState(gemeente="GM0344", presentatie=True, draaiboek="eNp1jz0OwjAMRq9S-_", stap=3)
    query = to_query(state)
    assert query == {"gemeente": "GM0344", "presentatie": "1", "draaiboek": "eNp1jz0OwjAMRq9S-_", "stap": "3"}
    restored, notes = from_query(query)
    assert notes == [] and restored == state
    assert to_query(ViewState(presentatie=False, stap=None, draaiboek=None)) == {}


def test_bad_workshop_values_are_dropped_with_a_note():
    from wijkmap.core.view import DRAAIBOEK_MAX_CHARS, MAX_STEPS

    state, notes = from_query({"presentatie": "ja", "stap": str(MAX_STEPS + 1), "draaiboek": "a+b/c="})
    assert state == ViewState()
    assert sorted(notes) == sorted(["presentatie=ja", f"stap={MAX_STEPS + 1}", "draaiboek=a+b/c="])
    state, notes = from_query({"draaiboek": "A" * (DRAAIBOEK_MAX_CHARS + 1), "stap": "0"})
    assert state.draaiboek is None and state.stap is None and len(notes) == 2


def test_a_fractional_zoom_round_trips_through_the_url():
    # The map snaps to quarter zoom levels: 12.75 written as "13" would move the map.
    for zoom, written in ((12.75, "12.75"), (13.25, "13.25"), (8.5, "8.5"), (13.0, "13")):
        query = to_query(ViewState(gemeente="GM0344", lat=52.09, lon=5.12, zoom=zoom))
        assert query["zoom"] == written
        assert from_query(query)[0].zoom == zoom


def test_an_overlong_value_is_refused_before_parsing_and_quoted_short():
    from wijkmap.core.view import MAX_PARAM_CHARS, NOTE_VALUE_CHARS

    state, notes = from_query({"gemeente": "A" * 100_000, "klassen": "7"})
    assert state.gemeente is None and state.klassen == 7
    assert notes == ["gemeente=" + "A" * (NOTE_VALUE_CHARS - 1) + "…"]
    # Sources are free text: a long list still fits, a longer value does not.
    sources = [f"Bron {i} " + "x" * 190 for i in range(MAX_PARAM_CHARS // 201)]
    assert from_query({"bron": "|".join(sources)})[0].bron == sources
    state, notes = from_query({"bron": "x" * (MAX_PARAM_CHARS + 1)})
    assert state.bron == [] and len(notes[0]) == len("bron=") + NOTE_VALUE_CHARS


def test_a_bad_value_of_any_setting_is_named_once_and_leaves_its_default():
    import dataclasses

    bad = {item.name: "<kapot>" for item in dataclasses.fields(ViewState) if item.name != "bron"}
    state, notes = from_query(bad)
    assert state == ViewState()
    assert sorted(notes) == sorted(f"{name}=<kapot>" for name in bad)


def test_an_empty_value_clears_what_may_be_empty_and_is_refused_elsewhere():
    cleared = [
        "gemeente",
        "gebied",
        "niveau",
        "jaar",
        "peiljaar",
        "lat",
        "lon",
        "zoom",
        "van",
        "tot",
        "vergelijk_van",
        "vergelijk_tot",
        "draaiboek",
        "stap",
    ]
    state, notes = from_query(dict.fromkeys(cleared, ""))
    assert notes == [] and all(getattr(state, name) is None for name in cleared)
    refused = [
        "indicator",
        "schema",
        "klassen",
        "palet",
        "tijdelijk",
        "voorbeeld",
        "lang",
        "opvolging",
        "kleuring",
        "presentatie",
    ]
    state, notes = from_query(dict.fromkeys(refused, ""))
    assert state == ViewState() and sorted(notes) == sorted(f"{name}=" for name in refused)
    # An empty list and "-" both mean none chosen.
    assert from_query({"lagen": "", "statussen": "-", "bron": "-"})[0] == ViewState(lagen=[], statussen=[], bron=[])


def test_the_length_limit_is_per_parameter():
    from wijkmap.core.view import DRAAIBOEK_MAX_CHARS, MAX_PARAM_CHARS

    assert from_query({"draaiboek": "A" * DRAAIBOEK_MAX_CHARS})[0].draaiboek == "A" * DRAAIBOEK_MAX_CHARS
    # A value that would read well is still refused when it is too long.
    state, notes = from_query({"lagen": ",".join(["popup"] * (MAX_PARAM_CHARS // 6 + 1))})
    assert state.lagen == ViewState().lagen and len(notes) == 1


def test_list_settings_drop_repeats_and_empty_parts_but_sources_keep_theirs():
    state, notes = from_query({"lagen": "popup,,popup,initiatief", "bron": "A||B|A"})
    assert notes == [] and state.lagen == ["popup", "initiatief"] and state.bron == ["A", "B", "A"]


def test_numbers_are_checked_after_rounding_and_written_as_given():
    assert from_query({"zoom": "19.004"})[0].zoom == 19.0
    assert from_query({"zoom": "nan"})[1] == ["zoom=nan"]
    assert from_query({"lat": "54.00001"})[1] == ["lat=54.00001"]
    assert to_query(ViewState(lat=52.123456789, lon=5, zoom=12.5)) == {"lat": "52.12346", "lon": "5", "zoom": "12.5"}


def test_areas_to_compare_are_two_to_four_codes_of_any_level():
    state, notes = from_query({"vergelijk": "bu03440111,GM0150,BU03440111"})
    assert notes == [] and state.vergelijk == ["BU03440111", "GM0150"]
    assert to_query(state) == {"vergelijk": "BU03440111,GM0150"}
    assert from_query({"vergelijk": ""}) == (ViewState(), [])
    # One code is no comparison, five are too many, and a code must be a CBS area code.
    for raw in ("BU03440111", "GM0001,GM0002,GM0003,GM0004,GM0005", "BU03440111,Utrecht", "BU0344,GM0150"):
        state, notes = from_query({"vergelijk": raw})
        assert state.vergelijk == [] and notes == [f"vergelijk={raw}"]
    # Not Verandering's years compared.
    assert from_query({"vergelijk": "GM0344,GM0150", "vergelijk_van": "2015"})[0].vergelijk_van == 2015


def test_the_need_profile_is_indicators_with_whole_weights_1_to_5_at_most_6():
    state, notes = from_query({"nood": "pct_65plus:3,bijstand_per_1000,pct_65plus:5", "bereik": "klassiek"})
    # A repeated indicator keeps its first weight; a bare one weighs 1 and is written bare.
    assert notes == [] and state.nood == {"pct_65plus": 3, "bijstand_per_1000": 1} and state.bereik == "klassiek"
    assert to_query(state)["nood"] == "pct_65plus:3,bijstand_per_1000"
    for bad in ("pct_65plus:0", "pct_65plus:6", "pct_65plus:1.5", "Pct:2", "a,b,c,d,e,f,g"):
        assert from_query({"nood": bad}) == (ViewState(), [f"nood={bad}"])
    assert from_query({"bereik": "kroeg"}) == (ViewState(), ["bereik=kroeg"])
    assert ViewState().nood == {} and ViewState().nood is not ViewState().nood  # no shared default


def test_niveau_without_a_gemeente_is_the_national_buurt_or_wijk_map():
    from wijkmap.core.view import level

    assert level(ViewState()) == "gemeente", "the national view draws gemeenten by default"
    assert level(ViewState(gemeente="GM0344")) == "buurt", "a gemeente's buurten by default"
    state, notes = from_query({"niveau": "buurt"})
    assert notes == [] and level(state) == "buurt" and to_query(state) == {"niveau": "buurt"}
    assert level(from_query({"niveau": "wijk"})[0]) == "wijk"
    # Inside a gemeente buurt is the default: the link stays as short as before.
    state, _ = from_query({"gemeente": "GM0344", "niveau": "buurt"})
    assert state.niveau is None and level(state) == "buurt" and to_query(state) == {"gemeente": "GM0344"}
    assert to_query(from_query({"gemeente": "GM0344", "niveau": "wijk"})[0]) == {"gemeente": "GM0344", "niveau": "wijk"}
    assert from_query({"niveau": "gemeente"})[1] == ["niveau=gemeente"]
