"""Finding an area as a person types it: accents, case, hyphens, codes and postcodes."""

import pandas as pd
import pytest

from wijkmap.council.search import MAX_QUERY_CHARS, AreaIndex, QueryTooLong, fold


def _names(rows):
    return pd.DataFrame(rows, columns=["code", "naam", "gemeentecode"])


@pytest.fixture
def index():
    layers = {
        "gemeente_2015": _names([("GM0344", "Utrecht", "GM0344"), ("GM0005", "Bedum", "GM0005")]),
        "gemeente_2025": _names(
            [
                ("GM0344", "Utrecht", "GM0344"),
                ("GM0014", "Groningen", "GM0014"),
                ("GM0518", "'s-Gravenhage", "GM0518"),
                ("GM0796", "'s-Hertogenbosch", "GM0796"),
                ("GM0400", "Den Helder", "GM0400"),
            ]
        ),
        "wijk_2024": _names([("WK034401", "West", "GM0344"), ("WK001401", "Oud-Zuid", "GM0014")]),
        "buurt_2015": _names(
            [
                ("BU03440111", "Oud Zuilen", "GM0344"),
                ("BU03440121", "Lombok-Oost", "GM0344"),
                ("BU03440122", "Café Zuïd", "GM0344"),
                ("BU00140101", "Zuiderpark", "GM0014"),
            ]
        ),
    }
    postcodes = pd.DataFrame(
        [
            ("BU03440121", "Lombok-Oost", "GM0344", "3531", 2024),
            ("BU03440122", "Café Zuid", "GM0344", "3531", 2024),
            ("BU03449999", "Nieuwbouw 2024", "GM0344", "3531", 2024),
            ("BU00140101", "Zuiderpark", "GM0014", "9724", 2024),
        ],
        columns=["code", "naam", "gemeentecode", "postcode", "jaar"],
    )
    return AreaIndex.from_frames(layers, postcodes)


def codes(hits):
    return [hit.code for hit in hits]


def test_folding_ignores_accents_case_and_punctuation():
    assert fold("Oud-Zuid") == fold("oud zuid") == fold("OUD  ZUÏD") == "oud zuid"
    assert fold("'s-Hertogenbosch") == "s hertogenbosch"


def test_hyphen_space_accent_and_case_find_the_same_area(index):
    for query in ("Oud-Zuid", "oud zuid", "OUD-ZUÏD", " oud   zuid "):
        assert codes(index.find(query))[0] == "WK001401", query
    # A misspelt accent, typed or left out, still finds the café buurt.
    for query in ("cafe zuid", "Cafè Zuid", "CAFÉ-ZUÏD"):
        assert codes(index.find(query)) == ["BU03440122"], query


def test_the_whole_name_comes_before_its_beginning_before_a_word_before_inside(index):
    hits = index.find("zui")
    # "Zuiderpark" begins with it; "Oud Zuilen", "Café Zuïd" and "Oud-Zuid" have a word that does.
    assert codes(hits)[0] == "BU00140101"
    assert set(codes(hits)) == {"BU00140101", "BU03440111", "BU03440122", "WK001401"}
    # Gemeenten first among equals.
    assert codes(index.find("utrecht"))[0] == "GM0344"


def test_every_word_may_match_the_name_or_its_gemeente(index):
    assert codes(index.find("west utrecht")) == ["WK034401"]
    assert index.find("west groningen") == []


def test_a_code_in_any_case_finds_its_area(index):
    [hit] = index.find("bu03440121")
    assert (hit.code, hit.naam, hit.niveau, hit.gemeentecode, hit.gemeentenaam, hit.via) == (
        "BU03440121",
        "Lombok-Oost",
        "buurt",
        "GM0344",
        "Utrecht",
        "code",
    )
    assert codes(index.find("0344")) == ["GM0344"]  # a gemeentecode as spreadsheets write it
    assert codes(index.find("BU0344")) == ["BU03440111", "BU03440121", "BU03440122", "BU03449999"]
    assert index.find("BU03441234") == []


def test_an_older_code_that_no_newer_indeling_has_still_resolves(index):
    [hit] = index.find("Bedum")
    assert hit.code == "GM0005" and hit.niveau == "gemeente"


def test_four_digits_find_the_buurten_of_that_most_frequent_postcode_approximately(index):
    hits = index.find("3531")
    # Buurten the map can show first; the 2024 buurt without boundaries in the store last.
    assert codes(hits) == ["BU03440122", "BU03440121", "BU03449999"]
    assert all(hit.via == "postcode" and hit.approximate and hit.postcode == "3531" for hit in hits)
    assert [hit.kaart for hit in hits] == [True, True, False]
    # The shown name is the newest (2024); the 2015 spelling still finds it.
    assert hits[0].naam == "Café Zuid"
    assert codes(index.find("3531 AB")) == codes(hits)
    assert index.find("1234") == []


def test_a_query_has_a_length_limit(index):
    assert index.find("") == [] and index.find("   ") == []
    with pytest.raises(QueryTooLong, match=str(MAX_QUERY_CHARS)):
        index.find("x" * (MAX_QUERY_CHARS + 1))
    assert len(index.find("u", limit=1)) == 1


def test_the_store_index_finds_every_level_and_postcodes(store):
    index = AreaIndex.from_store(store)
    assert codes(index.find("Utrecht"))[0] == "GM0344"
    lombok = index.find("lombok oost")
    assert lombok[0].naam == "Lombok-Oost" and lombok[0].gemeentenaam == "Utrecht" and lombok[0].kaart
    by_postcode = index.find("3531")
    assert "BU03440121" in codes(by_postcode) and all(hit.approximate for hit in by_postcode)
    assert codes(index.find("wk059901"))


def test_well_known_other_names_find_their_gemeente(index):
    for query in ("Den Haag", "den haag", "The Hague", "Den Ha"):
        [hit, *_] = index.find(query)
        assert (hit.code, hit.naam) == ("GM0518", "'s-Gravenhage"), query
    assert codes(index.find("Den Bosch"))[0] == "GM0796"
    assert index.find("den bosch")[0].naam == "'s-Hertogenbosch"
    assert codes(index.find("Den Helder")) == ["GM0400"]  # its own name, no alias needed
    assert codes(index.find("gravenhage")) == ["GM0518"]  # CBS's name still works


def test_the_english_postcode_note_speaks_english():
    from wijkmap.core.i18n import t

    note = t("search_postcode_note", "en")
    assert "neighbourhood's most frequent postcode" in note and "buurt" not in note
