"""The vocabulary understands people's spellings of a term, and nothing else."""

import pytest

from wijkmap.core import vocabulary as vocab


@pytest.mark.parametrize(
    "text, code",
    [
        ("Repair Café", "repair_cafe"),
        ("repair-cafe", "repair_cafe"),
        ("Huiskamer van de wijk", "huis_van_de_wijk"),
        ("buurtkamer", "huis_van_de_wijk"),
        ("Community centre", "buurthuis"),
        ("HUIS_VAN_DE_WIJK", "huis_van_de_wijk"),
    ],
)
def test_soort_spellings(text, code):
    assert vocab.lookup("soort", text) == code


def test_unknown_and_empty_text_match_nothing():
    assert vocab.lookup("soort", "speeltuin") is None
    assert vocab.lookup("strategie", "") is None


def test_every_soort_has_a_category_and_every_actortype_a_formality():
    assert all(term.group in vocab.SOORT_CATEGORIES for term in vocab.SOORTEN.values())
    assert all(term.group in vocab.ACTOR_FORMALITIES for term in vocab.ACTORTYPES.values())
    assert vocab.actortypes_with("informeel") == ["bewoners", "vrijwilligersorganisatie", "religieuze_organisatie"]


def test_labels_in_both_languages():
    assert vocab.label("strategie", "bridging", "nl") == "Bridging (overbruggen)"
    assert vocab.label("strategie", "bridging", "en") == "Bridging"
    assert vocab.label("soort", "nonexistent") == "nonexistent"


@pytest.mark.parametrize(
    ("vocabulary", "typed", "nearest"),
    [
        ("actortype", "vrijwiligersorganisatie", ["vrijwilligersorganisatie"]),  # a far better first stands alone
        ("actortype", "vrijwilligers", ["vrijwilligersorganisatie"]),  # cut short
        ("soort", "Wijkcentrm", ["buurthuis"]),  # a synonym, misspelled
        ("soort", "Library brnch", ["bibliotheek"]),  # an English label
        ("doelgroep", "oudere", ["ouderen"]),
        ("strategie", "bridge", ["beide", "bridging"]),
        ("soort", "speeltuin", []),
        ("soort", "", []),
    ],
)
def test_nearest_codes_by_code_label_or_synonym(vocabulary, typed, nearest):
    assert vocab.nearest(vocabulary, typed) == nearest


def test_at_most_n_nearest_codes():
    assert len(vocab.nearest("actortype", "organisatie")) == 3
    assert len(vocab.nearest("actortype", "organisatie", n=2)) == 2
