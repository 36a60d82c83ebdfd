"""Header mappings remembered in the store per set of headers (register/mapping.py)."""

from __future__ import annotations

import pytest

from wijkmap.data import store as store_module
from wijkmap.data.sources.register import mapping


def test_a_mapping_is_remembered_for_the_same_headers_in_any_order_and_spelling(store):
    headers = ["Naam organisatie", "Soort", "Wijk code", "Telefoon"]
    assert mapping.remembered(headers) == {}
    mapping.remember(headers, {"Naam organisatie": "naam", "Wijk code": "buurtcode", "Telefoon": ""})
    again = ["telefoon", "WIJK_CODE", "soort", "naam organisatie"]
    assert mapping.remembered(again) == {"WIJK_CODE": "buurtcode", "naam organisatie": "naam", "telefoon": ""}
    assert mapping.remembered(headers + ["E-mail"]) == {}  # another set of headers


def test_remembering_again_replaces_and_only_the_files_headers_are_kept(store):
    headers = ["Naam organisatie", "Soort", "Plek"]
    mapping.remember(headers, {"Naam organisatie": "naam", "Plek": "buurtcode", "Elders": "url"})
    mapping.remember(headers, {"Naam organisatie": "naam"})
    assert mapping.remembered(headers, path=store) == {"Naam organisatie": "naam"}


def test_a_target_that_is_no_template_field_is_refused(store):
    with pytest.raises(ValueError, match="telefoon"):
        mapping.remember(["a"], {"a": "telefoon"})


def test_without_a_store_nothing_is_remembered(tmp_path):
    assert mapping.remembered(["naam"], path=tmp_path / "geen.gpkg") == {}


def test_a_rebuild_keeps_the_mappings():
    assert mapping.TABLE in store_module.SIDE_TABLES
