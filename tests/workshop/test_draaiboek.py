"""The draaiboek: steps of views as a file and as a link, read strictly."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from wijkmap.core.view import ViewState, to_query
from wijkmap.workshop import draaiboek as db


def _book() -> db.Draaiboek:
    return (
        db.Draaiboek()
        .add(
            db.step_from_state(
                ViewState(gemeente="GM0344", lat=52.09, lon=5.12, zoom=12),
                "Jouw wijk",
                "Hier wonen veel alleenstaanden.",
            )
        )
        .add(
            db.step_from_state(ViewState(gemeente="GM0344", strategie=["bridging"], palet="contrast"), "Wie overbrugt?")
        )
        .add(
            db.step_from_state(
                ViewState(
                    gemeente="GM0599",
                    indicator="pct_65plus",
                    soort=["buurthuis"],
                    bron=["Register Rotterdam, 2026"],
                    voorbeeld=False,
                ),
                "Buurthuizen <b>&",
                "Regel één\nregel twee — ‘quotes’",
            )
        )
    )


def test_step_holds_the_view_the_url_holds():
    state = ViewState(gemeente="GM0344", strategie=["bridging"], lat=52.09, lon=5.12, zoom=12)
    step = db.step_from_state(state, "  Titel  ", " noot ")
    assert step.title == "Titel" and step.note == "noot"
    assert step.view == to_query(state)
    assert step.state() == state


def test_session_settings_stay_out_of_a_step():
    state = ViewState(gemeente="GM0344", presentatie=True, draaiboek="abc", stap=2, lang="en")
    step = db.step_from_state(state, "Titel")
    assert step.view == {"gemeente": "GM0344"}
    base = ViewState(presentatie=True, draaiboek="xyz", stap=1, lang="en")
    restored = step.state(base)
    assert (restored.gemeente, restored.presentatie, restored.draaiboek, restored.stap, restored.lang) == (
        "GM0344",
        True,
        "xyz",
        1,
        "en",
    )


def test_file_round_trip():
    book = _book()
    text = db.to_json(book)
    assert json.loads(text)["format"] == "wijkmap-draaiboek"
    assert db.from_json(text) == book
    assert db.from_json(text.encode("utf-8")) == book
    assert db.from_json(b"\xef\xbb\xbf" + text.encode("utf-8")) == book  # with a BOM
    assert db.from_json("\ufeff" + text) == book  # text read without "utf-8-sig"
    assert db.from_json(b"\xef\xbb\xbf" * 2 + text.encode("utf-8")) == book  # an editor added a second one


def test_link_round_trip_is_compact_and_url_safe():
    book = _book()
    link = db.encode(book)
    assert set(link) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert db.decode(link) == book
    assert len(link) < len(db.to_json(book))
    # A link survives the URL: it is a valid value of the state's parameter.
    from wijkmap.core.view import from_query

    state, notes = from_query({"draaiboek": link, "stap": "2"})
    assert notes == [] and state.draaiboek == link and state.stap == 2


def test_reorder_and_remove():
    book = _book()
    titles = lambda b: [s.title for s in b.steps]  # noqa: E731
    assert titles(book.move(2, -1)) == ["Jouw wijk", "Buurthuizen <b>&", "Wie overbrugt?"]
    assert titles(book.move(0, -1)) == titles(book)  # stays within the list
    assert titles(book.move(0, 5)) == ["Wie overbrugt?", "Buurthuizen <b>&", "Jouw wijk"]
    assert titles(book.remove(1)) == ["Jouw wijk", "Buurthuizen <b>&"]


def _document(**step_changes) -> dict:
    document = db.to_dict(_book())
    document["steps"][1].update(step_changes)
    return document


def _problems(document) -> list[str]:
    with pytest.raises(db.DraaiboekError) as error:
        db.from_json(json.dumps(document))
    return error.value.problems


def test_unknown_field_in_a_step_is_refused_naming_step_and_field():
    assert _problems(_document(kleur="rood")) == ["Stap 2: onbekend veld ‘kleur’ (toegestaan: title, note, view)."]


def test_unknown_field_in_a_view_is_refused_naming_step_and_field():
    document = _document()
    document["steps"][2]["view"]["kasteel"] = "ja"
    assert _problems(document) == ["Stap 3: onbekend veld ‘view.kasteel’."]


def test_unknown_top_level_field_is_refused():
    document = db.to_dict(_book()) | {"auteur": "Anna"}
    assert _problems(document) == ["Onbekend veld ‘auteur’ in het draaiboek (toegestaan: format, version, steps)."]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("klassen", "99", 'Stap 2, veld view.klassen: ongeldige waarde "99".'),
        ("gemeente", "Utrecht<script>", 'Stap 2, veld view.gemeente: ongeldige waarde "Utrecht<script>".'),
        ("soort", "kasteel", 'Stap 2, veld view.soort: ongeldige waarde "kasteel".'),
        ("zoom", 12, "Stap 2, veld view.zoom: verwacht tekst zoals in een link, niet 12."),
        ("stap", "1", "Stap 2, veld view.stap: hoort niet in een stap (het is een instelling van de sessie)."),
        ("vergelijk", "BU03440121", 'Stap 2, veld view.vergelijk: ongeldige waarde "BU03440121".'),
    ],
)
def test_bad_value_in_a_view_is_refused_naming_step_and_field(name, value, message):
    document = _document()
    document["steps"][1]["view"][name] = value
    assert _problems(document) == [message]


def test_bad_title_and_note_are_refused():
    problems = _problems(_document(title="", note=7))
    assert problems == [
        'Stap 2, veld title: verwacht een titel (tekst), niet "".',
        "Stap 2, veld note: verwacht tekst, niet 7.",
    ]
    assert _problems(_document(title="x" * 101)) == ["Stap 2, veld title: 101 tekens; hoogstens 100."]


def test_every_problem_is_named_at_once():
    document = _document(kleur="rood")
    document["steps"][0]["view"]["klassen"] = "1"
    problems = _problems(document)
    assert problems == [
        'Stap 1, veld view.klassen: ongeldige waarde "1".',
        "Stap 2: onbekend veld ‘kleur’ (toegestaan: title, note, view).",
    ]


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"{niet json", "Het bestand is geen geldige JSON (regel 1, kolom 2"),
        (b"\xff\xfe\x00", "Het bestand is geen tekst in UTF-8"),
        (b"[1, 2]", "Een draaiboek is een JSON-object"),
        (json.dumps({"format": "iets anders", "version": 1, "steps": []}).encode(), "Veld format: verwacht"),
        (json.dumps({"format": "wijkmap-draaiboek", "version": 2, "steps": [{}]}).encode(), "Veld version:"),
        # true and 1.0 equal 1 in Python:
        (
            json.dumps(_document() | {"version": True}).encode(),
            "Veld version: deze versie van wijkmap leest versie 1, niet true.",
        ),
        (
            json.dumps(_document() | {"version": 1.0}).encode(),
            "Veld version: deze versie van wijkmap leest versie 1, niet 1.0.",
        ),
        (json.dumps(_document() | {"version": "1"}).encode(), "Veld version:"),
        (
            json.dumps({"format": "wijkmap-draaiboek", "version": 1, "steps": []}).encode(),
            "Het draaiboek heeft geen stappen.",
        ),
        (json.dumps({"format": "wijkmap-draaiboek", "version": 1, "steps": "x"}).encode(), "Veld steps:"),
        (b" " * (db.MAX_FILE_BYTES + 1), "Het bestand is te groot"),
        # What Python's JSON reader raises on, or the page could not show:
        (b'{"version": 1' + b"0" * 5000 + b"}", "Het draaiboek bevat een getal van 5001 cijfers"),
        (json.dumps(_document(title="\ud800")).encode(), "Het draaiboek bevat een ongeldig teken"),
    ],
)
def test_files_that_are_no_draaiboek_are_refused_with_a_message(data, start):
    with pytest.raises(db.DraaiboekError) as error:
        db.from_json(data)
    assert error.value.problems[0].startswith(start), error.value.problems


def test_too_many_steps_are_refused():
    document = db.to_dict(_book())
    document["steps"] = document["steps"][:1] * (db.MAX_STEPS + 1)
    assert f"Het draaiboek heeft {db.MAX_STEPS + 1} stappen; hoogstens {db.MAX_STEPS}." in _problems(document)
    book = db.Draaiboek(_book().steps[:1] * db.MAX_STEPS)
    with pytest.raises(db.DraaiboekError, match="hoogstens"):
        book.add(_book().steps[0])


def test_a_step_needs_a_title():
    with pytest.raises(db.DraaiboekError, match="geef de stap een titel"):
        db.step_from_state(ViewState(), "   ")


def test_a_link_too_long_is_refused_on_both_ends():
    with pytest.raises(db.DraaiboekError, match="te lang"):
        db.decode("A" * (db.MAX_LINK_CHARS + 1))
    # Notes that do not compress (random CJK): the encoder refuses a link longer than the limit.
    # (Full-length random Latin notes in 30 steps still fit: any real draaiboek does.)
    import random

    rng = random.Random(6)
    steps = tuple(
        db.Step(
            f"Stap {i}", "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(db.MAX_NOTE)), {"gemeente": "GM0344"}
        )
        for i in range(db.MAX_STEPS)
    )
    with pytest.raises(db.DraaiboekError, match="te lang voor een link"):
        db.encode(db.Draaiboek(steps))


@pytest.mark.parametrize(
    ("link", "start"),
    [
        ("!!!", "Het draaiboek in de link is beschadigd"),
        (base64.urlsafe_b64encode(b"geen zlib").decode().rstrip("="), "Het draaiboek in de link is beschadigd"),
        (base64.urlsafe_b64encode(zlib.compress(b"{}")[:-3]).decode().rstrip("="), "Het draaiboek in de link is"),
        (
            base64.urlsafe_b64encode(zlib.compress(b" " * (db.MAX_FILE_BYTES + 10))).decode().rstrip("="),
            "Het draaiboek in de link is te groot",
        ),
        (base64.urlsafe_b64encode(zlib.compress(b'{"format": "x"}')).decode().rstrip("="), "Veld format"),
    ],
)
def test_damaged_links_are_refused_with_a_message(link, start):
    with pytest.raises(db.DraaiboekError) as error:
        db.decode(link)
    assert error.value.problems[0].startswith(start), error.value.problems


def test_a_link_with_an_unknown_field_is_refused_like_a_file():
    document = _document(kleur="rood")
    link = base64.urlsafe_b64encode(zlib.compress(json.dumps(document).encode())).decode().rstrip("=")
    with pytest.raises(db.DraaiboekError, match="Stap 2: onbekend veld ‘kleur’"):
        db.decode(link)


def test_what_a_step_refers_to_that_the_data_lost_is_named():
    known = db.Known({"GM0344": "Utrecht"}, frozenset({"pct_65plus"}), frozenset({"CBS"}))
    fine = ViewState(gemeente="GM0344", indicator="pct_65plus", gebied="BU03440000")
    assert db.missing_in_data(fine, known, ["BU03440000"]) == []
    gone = ViewState(gemeente="GM9999", indicator="pct_verdwenen", gebied="BU99990000", bron=["Oud register"])
    notes = db.missing_in_data(gone, known, ["BU03440000"])
    assert notes == [
        "Gemeente GM9999 staat niet (meer) in de gegevens; de kaart toont heel Nederland.",
        "De indicator ‘pct_verdwenen’ is er niet (meer); de kaart kleurt naar een andere.",
        "Het gebied BU99990000 staat niet (meer) op deze kaart; er is geen gebied gekozen.",
        "Deze bron is er niet (meer): ‘Oud register’.",
    ]
    assert len(db.missing_in_data(gone, known, None)) == 3  # the gebied is checked only against a map


def _link(data: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(data, 9)).decode().rstrip("=")


def test_a_deeply_nested_link_is_refused_with_a_message():
    link = _link(b"[" * 100_000 + b"]" * 100_000)
    assert len(link) < 400  # nesting compresses to almost nothing: a short link
    with pytest.raises(db.DraaiboekError) as error:
        db.decode(link)
    assert error.value.problems == [
        f"Het draaiboek is te diep genest (regel 1, kolom {db.MAX_DEPTH + 1}: meer dan {db.MAX_DEPTH} lijsten of "
        "objecten in elkaar; een draaiboek heeft er 4)."
    ]


def test_a_deeply_nested_file_is_refused_naming_where():
    document = json.dumps(_document(), indent=1)
    deep = document.replace('"gemeente": "GM0344"', '"gemeente": ' + "[" * 60_000 + "]" * 60_000, 1)
    assert len(deep) > 120_000
    with pytest.raises(db.DraaiboekError, match=r"te diep genest \(regel \d+, kolom \d+"):
        db.from_json(deep.encode())
    # Brackets inside text are text, and nesting up to the limit is judged as usual.
    assert (
        db.from_json(json.dumps(db.to_dict(_book())).replace("Jouw wijk", "[[[[{{{{[[[[wijk")).steps[0].title
        == "[[[[{{{{[[[[wijk"
    )
    shallow = document.replace('"GM0344"', "[" * (db.MAX_DEPTH - 4) + "]" * (db.MAX_DEPTH - 4), 1)
    with pytest.raises(db.DraaiboekError, match="verwacht tekst zoals in een link"):
        db.from_json(shallow)


def test_a_step_can_show_a_comparison_and_says_when_an_area_is_gone():
    state = ViewState(gemeente="GM0344", vergelijk=["BU03440121", "WK015001"])
    book = db.Draaiboek().add(db.step_from_state(state, "Twee buurten naast elkaar"))
    assert book.steps[0].view == {"gemeente": "GM0344", "vergelijk": "BU03440121,WK015001"}
    restored = db.decode(db.encode(book))
    assert restored.steps[0].state().vergelijk == ["BU03440121", "WK015001"]
    assert db.from_json(db.to_json(book)).steps[0].state() == state
    known = db.Known(
        {"GM0344": "Utrecht"}, frozenset({"pct_eenpersoonshuishoudens"}), frozenset(), frozenset({"BU03440121"})
    )
    assert db.missing_in_data(state, known) == [
        "De vergelijking noemt WK015001, dat niet (meer) in de gegevens staat; er wordt niet vergeleken."
    ]
