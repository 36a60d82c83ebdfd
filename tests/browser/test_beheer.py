"""The Beheer page on the real app (app.py) in Chromium: a users file with a beheerder and
a moderator, a private copy of the small store.

The issue's "done when": a beheerder uploads another gemeente's register (Windows-1252,
semicolons, comma decimals), sees it on the preview map, imports it, sees it on Kaart,
undoes it, and the records table is as before; a broken file lists every problem and
offers no import; .xls and .ods files; mapping an unknown column by hand; editing and
confirming; a moderator cannot reach beheer, a visitor only gets the form."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import helpers
from .helpers import MAP_FRAME, PASSWORD, TIMEOUT, expect_no_exception, metric, store_copy, wait_idle

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AMSTERDAM = "GM0363"
# Three provisions in Amsterdam as a gemeente's own export writes them: Windows-1252,
# semicolons, comma decimals, a name with characters outside ASCII.
REGISTER = (
    "naam;soort;strategie;actortype;doelgroep;lat;lon;geopend\n"
    "Huiskamer Café ’t Hoekje;huis_van_de_wijk;bridging;bewoners;ouderen;52,3731;4,8922;2021\n"
    "Repair Café Noord;repair_cafe;beide;vrijwilligersorganisatie;iedereen;52,3907;4,9212;2019\n"
    "Buurtrestaurant Eén Tafel;buurtrestaurant;bonding;sociaal_ondernemer;alleenstaanden;52,3600;4,8800;2022\n"
)


@pytest.fixture(scope="module")
def beheer_store(small_store_path, tmp_path_factory) -> Path:
    return store_copy(small_store_path, tmp_path_factory, "beheer-store")


@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    return helpers.users_file(
        tmp_path_factory, "beheer-accounts", {"anna.beheer": "beheerder", "mia.jansen": "moderator"}
    )


@pytest.fixture(scope="module")
def app_spec(app_spec, beheer_store, users_file):
    return dataclasses.replace(
        app_spec,
        script=PROJECT_ROOT / "app.py",
        env={"WIJKMAP_STORE": str(beheer_store), "WIJKMAP_USERS": str(users_file), "WIJKMAP_MODERATOR_SECRET": ""},
    )


def open_beheer(page: Page, url: str) -> None:
    page.goto(url + "beheer")
    expect(page.get_by_role("heading", name="Beheer", exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)


def log_in(page: Page, name: str) -> None:
    page.locator(".st-key-beheer_account_name input").fill(name)
    page.locator(".st-key-beheer_account_password input").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page)


def upload(page: Page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    wait_idle(page)
    expect_no_exception(page)


def records_table(store_path: Path):
    from wijkmap.data import store

    records = store.read_records(path=store_path)
    return records.drop(columns="geometry").sort_values("id").reset_index(drop=True)


def test_a_visitor_gets_the_form_and_a_moderator_is_refused(page, streamlit_server):
    open_beheer(page, streamlit_server.url)
    labels = page.locator('[data-testid="stTextInput"] label').all_inner_texts()
    assert labels == ["Accountnaam", "Wachtwoord"]
    expect(page.get_by_text("Register inlezen")).to_have_count(0)
    log_in(page, "mia.jansen")
    expect(page.get_by_text("Dit account mag hier niet komen (rol: moderator).")).to_be_visible()
    expect(page.get_by_text("Register inlezen")).to_have_count(0)
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)


def test_a_register_is_previewed_imported_seen_on_kaart_and_undone(page, streamlit_server, beheer_store, tmp_path):
    register = tmp_path / "voorzieningen amsterdam.csv"
    register.write_bytes(REGISTER.encode("cp1252"))
    before = records_table(beheer_store)

    page.goto(streamlit_server.url + f"?gemeente={AMSTERDAM}")
    wait_idle(page)
    shown_before = int(metric(page, "Voorzieningen getoond").inner_text())
    page.get_by_role("link", name="Beheer").click()
    wait_idle(page)
    expect(page.locator(".st-key-beheer_account_name input")).to_be_visible(timeout=TIMEOUT)
    log_in(page, "anna.beheer")
    expect(page.get_by_text("Ingelogd als beheerder:")).to_be_visible(timeout=TIMEOUT)
    page.locator(".st-key-beheer_bron input").fill("register gemeente Amsterdam")
    wait_idle(page)
    upload(page, register)

    expect(page.get_by_role("heading", name="Voorbeeld: wat het bestand bevat")).to_be_visible()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible(timeout=TIMEOUT)
    expect(metric(page, "Nieuw")).to_have_text("3")
    expect(metric(page, "Niet meer in het bestand")).to_have_text("0")
    assert records_table(beheer_store).equals(before), "nothing is written before Importeren"

    page.get_by_role("button", name="Importeren").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Geïmporteerd uit voorzieningen amsterdam\.csv .*3 nieuw"))).to_be_visible()
    assert len(records_table(beheer_store)) == len(before) + 3
    page.get_by_role("link", name="Bekijk Amsterdam op de kaart").click()
    wait_idle(page)
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(shown_before + 3), timeout=TIMEOUT)

    page.get_by_role("link", name="Beheer").click()
    wait_idle(page)
    page.locator(".st-key-beheer_part").get_by_text("Geschiedenis").click()
    wait_idle(page)
    page.get_by_role("button", name="Ongedaan maken").click()
    wait_idle(page)
    page.get_by_role("button", name="Ja, maak ongedaan").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Batch .* is ongedaan gemaakt\."))).to_be_visible()
    expect_no_exception(page)
    after = records_table(beheer_store)
    assert after.equals(before), "the store is as before the import"


def test_a_broken_file_lists_every_problem_as_text_and_offers_no_import(page, streamlit_server, tmp_path):
    broken = tmp_path / "kapot.csv"
    broken.write_text(
        "naam;soort;lat;lon\n"
        "De Linde;voedselbnak;52,09;5,12\n"
        "Huiskamer;**vet**<b>x</b>;52,09;5,12\n"
        ";buurthuis;52,09;5,12\n",
        encoding="utf-8",
    )
    open_beheer(page, streamlit_server.url)
    log_in(page, "anna.beheer")
    upload(page, broken)
    lines = page.locator(".st-key-beheer-problems li")
    expect(lines).to_have_count(3)
    texts = lines.all_inner_texts()
    assert texts[0].startswith('kapot.csv, rij 2, kolom "soort"') and "voedselbank" in texts[0], texts
    assert "**vet**<b>x</b>" in texts[1], "user text is shown as typed"
    assert texts[2].startswith('kapot.csv, rij 4, kolom "naam"'), texts
    expect(page.get_by_role("button", name="Importeren")).to_have_count(0)


def choose(page: Page, widget, typed: str) -> None:
    """Pick the first option holding `typed` in a selectbox or multiselect (its widget
    key, or its element)."""
    (page.locator(f".st-key-{widget}") if isinstance(widget, str) else widget).locator("input").click()
    page.keyboard.type(typed)
    page.get_by_role("option").first.click()
    wait_idle(page)


def test_an_unknown_column_is_mapped_by_hand_and_remembered(page, streamlit_server, tmp_path):
    rows = "Naam voorziening;soort;lat;lon\nWijkwerkplaats Oost;wijkwerkplaats;52,09;5,14\nBuurthuis De Pijp;buurthuis;52,08;5,12\n"
    first, second = tmp_path / "eigen kolommen.csv", tmp_path / "eigen kolommen, versie 2.csv"
    first.write_text(rows, encoding="utf-8")
    second.write_text(rows, encoding="utf-8")
    open_beheer(page, streamlit_server.url)
    log_in(page, "anna.beheer")
    upload(page, first)
    expect(page.get_by_role("button", name="Importeren")).to_have_count(0)
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Naam voorziening")
    choose(page, box, "naam —")
    page.get_by_role("button", name="Koppeling toepassen").click()
    wait_idle(page)
    expect(metric(page, "Nieuw")).to_have_text("2")
    expect(page.get_by_role("button", name="Importeren")).to_be_visible()

    upload(page, second)  # the same headers: the mapping is taken without asking
    expect(metric(page, "Nieuw")).to_have_text("2")
    expect(page.get_by_role("combobox", name="Naam voorziening")).to_have_value(re.compile(r"^naam — "))


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_an_xls_or_ods_register_is_read(page, streamlit_server, tmp_path, suffix):
    header = ["naam", "soort", "lat", "lon"]
    rows = [["Naaiatelier Noord", "naaiatelier", 52.40, 4.93], ["Voedselbank West", "voedselbank", 52.37, 4.84]]
    path = tmp_path / f"register{suffix}"
    if suffix == ".xls":
        xlwt = pytest.importorskip("xlwt")
        book = xlwt.Workbook()
        sheet = book.add_sheet("register")
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                sheet.write(r, c, value)
        book.save(str(path))
    else:
        pytest.importorskip("odf")
        import pandas as pd

        pd.DataFrame(rows, columns=header).to_excel(path, engine="odf", index=False)
    open_beheer(page, streamlit_server.url)
    log_in(page, "anna.beheer")
    upload(page, path)
    expect(page.locator(".st-key-beheer-problems")).to_have_count(0)
    expect(metric(page, "Nieuw")).to_have_text("2")
    expect(page.get_by_role("button", name="Importeren")).to_be_visible()


def test_a_record_is_edited_and_confirmed_and_user_text_stays_literal(page, streamlit_server, beheer_store, tmp_path):
    import datetime as dt

    from wijkmap.data import batches, placement, store
    from wijkmap.data.sources.register import read_register

    old = tmp_path / "oud register.csv"
    old.write_text(
        "id;naam;soort;lat;lon;laatst_gecontroleerd\n"
        "oud-1;Buurthuis Het Anker;buurthuis;52,3702;4,8952;2020-03-01\n"
        "oud-2;Voedselbank Centrum;voedselbank;52,3680;4,9000;2020-03-01\n",
        encoding="utf-8",
    )
    result = read_register(old, placement.buurten(beheer_store), bron="register Amsterdam oud")
    assert result.ok, [str(problem) for problem in result.problems]
    batches.import_batch(result.records, bestand=old.name, account="anna.beheer", path=beheer_store)
    typed = "**vet** <b>x</b> :red[rood]"

    open_beheer(page, streamlit_server.url)
    log_in(page, "anna.beheer")
    page.locator(".st-key-beheer_part").get_by_text("Record bewerken").click()
    wait_idle(page)
    choose(page, "beheer_edit_gemeente", "Amsterdam")
    page.locator(".st-key-beheer_edit_search input").fill("Het Anker")
    page.locator(".st-key-beheer_edit_search input").press("Enter")
    wait_idle(page)
    page.locator(".st-key-beh_edit_naam input").fill(typed)
    page.get_by_role("button", name="Opslaan").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Opgeslagen \(batch .*\)\.$"))).to_be_visible()
    saved = store.read_records(path=beheer_store).set_index("id")
    assert saved.loc["oud-1", "naam"] == typed
    page.locator(".st-key-beheer_edit_search input").fill("vet")
    page.locator(".st-key-beheer_edit_search input").press("Enter")
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Record")).to_have_value(f"{typed} · Buurthuis · oud-1")
    expect(page.locator(".st-key-beh_edit_naam input")).to_have_value(typed)

    page.locator(".st-key-beheer_part").get_by_text("Actualiteit").click()
    wait_idle(page)
    choose(page, "beheer_fresh_gemeente", "Amsterdam")
    page.get_by_role("button", name="Alle 2 kiezen").click()
    wait_idle(page)
    expect(page.locator(".st-key-beheer_fresh_choice")).to_contain_text(typed)
    page.get_by_role("button", name="Bevestigen dat ze nog bestaan").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^2 record\(s\) bevestigd \(batch .*\)\.$"))).to_be_visible()
    expect_no_exception(page)
    checked = store.read_records(path=beheer_store).set_index("id").loc[["oud-1", "oud-2"], "laatst_gecontroleerd"]
    assert set(checked) == {dt.date.today().isoformat()}


def test_what_a_file_no_longer_has_is_closed_per_the_date_given(page, streamlit_server, beheer_store, tmp_path):
    from wijkmap.data import batches, placement, store
    from wijkmap.data.sources.register import read_register

    rows = "id;naam;soort;lat;lon\nw-1;Wijkteam Zuid;wijkteam;52,3400;4,8900\nw-2;Kerk aan de Dam;kerk;52,3730;4,8930\n"
    first = tmp_path / "wijken.csv"
    first.write_text(rows, encoding="utf-8")
    result = read_register(first, placement.buurten(beheer_store), bron="register wijken")
    batches.import_batch(result.records, bestand=first.name, account="anna.beheer", path=beheer_store)
    second = tmp_path / "wijken-2.csv"
    second.write_text(rows.rsplit("w-2", 1)[0].rstrip("\n") + "\n", encoding="utf-8")

    open_beheer(page, streamlit_server.url)
    log_in(page, "anna.beheer")
    page.locator(".st-key-beheer_bron input").fill("register wijken")
    page.locator(".st-key-beheer_bron input").press("Enter")
    wait_idle(page)
    upload(page, second)
    expect(metric(page, "Ongewijzigd")).to_have_text("1")
    expect(metric(page, "Niet meer in het bestand")).to_have_text("1")
    page.locator(".st-key-beheer_close_missing").get_by_text("Markeer als gesloten per").click()
    wait_idle(page)
    date = page.locator(".st-key-beheer_close_date input")
    date.fill("2026-11-01")
    wait_idle(page)
    expect(date).to_have_value("2026-11-01")
    page.get_by_role("button", name="Importeren").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Geïmporteerd uit wijken-2\.csv .* 1 gesloten\."))).to_be_visible()
    stored = store.read_records(path=beheer_store).set_index("id")
    assert stored.loc["w-2", "gesloten"] == "2026-11-01" and stored.loc["w-1", "gesloten"] == ""
