"""The council report: a PDF of a buurt and of a whole gemeente from the small test
store, read back as a person reads it (pdftotext for the words, pdfimages for the map),
and the guarantees behind it: escaped text, no network, the sample marked as fictional."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from wijkmap.council.report import ReportError, build_report, content, html, pdf
from wijkmap.data import store as wstore

BUURT = "BU03441024"  # Veldhuizen, Utrecht: ten sample records
HOSTILE = '<script>alert("x")</script> & <b>Buurthuis</b>'


@pytest.fixture(scope="module")
def data(small_store_path) -> content.StoreData:
    return content.load(small_store_path)


def text_of(pdf_bytes: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def images_of(pdf_bytes: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "i.pdf"
    path.write_bytes(pdf_bytes)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in listing.splitlines()[2:] if line.strip()]


def pages_of(text: str) -> int:
    return text.count("\f") + (0 if text.endswith("\f") else 1)


def test_buurt_report_holds_map_profile_provisions_change_ranking_and_sources(data, tmp_path):
    pdf_bytes = build_report([BUURT], data=data)
    assert pdf_bytes.startswith(b"%PDF")
    text = text_of(pdf_bytes, tmp_path)
    flat = " ".join(text.split())
    assert "De sociale basis van Veldhuizen" in flat
    assert f"Buurt {BUURT} in Utrecht" in flat
    # The profile with this buurt's own figures beside the gemeente's and the country's.
    profile = content.gather(data, BUURT).profile
    inwoners = profile[profile["Indicator"] == "Inwoners"].iloc[0]
    assert f"Inwoners {inwoners['Jaar']} {inwoners['Dit gebied']} {inwoners['Gemeente']}" in flat
    assert "Profiel tegen gemeente en Nederland" in flat
    # Every provision in the buurt by name, its category as a heading.
    here = content.gather(data, BUURT).here
    assert len(here) == 10
    # pdftotext joins a name broken after its hyphen in a narrow cell ("Ar-Rahma" -> "ArRahma").
    joined = flat.replace("-", "")
    for name in here["naam"]:
        assert " ".join(name.replace("-", "").split()) in joined, name
    assert "Initiatief (4)" in flat
    assert "Bonding (binden)" in flat
    # Verandering's summary, the Hoge nood list, the sources with the sample as such.
    assert "Samenvatting" in flat and "Per saldo waren er eind" in flat
    assert "Hoge nood, dunne sociale basis" in flat and "Een signaal, geen oordeel" in flat
    assert "Veldhuizen — In de rangorde:" in flat
    assert "Bronnen" in flat and "CBS" in flat and "Kadaster" in flat
    assert "Voorzieningen: fictieve voorbeelddata" in flat
    # Fictional wherever the sample appears: the warning on the title page and the rows.
    assert "dit rapport bevat fictieve voorbeelddata" in flat
    assert flat.count("(fictief)") >= 10
    # The link back and page numbers on every page.
    assert f"gebied={BUURT}" in flat
    pages = pages_of(text)
    assert pages >= 5
    for number in range(1, pages + 1):
        assert f"Pagina {number} / {pages}" in flat
    # The map (and the two cycle charts) as images; the map on the title page.
    images = [row for row in images_of(pdf_bytes, tmp_path) if row[2] == "image"]
    assert images[0][0] == "1" and int(images[0][3]) >= 1000, images
    assert len(images) == 3


def test_gemeente_report_in_english(data, tmp_path):
    flat = " ".join(text_of(build_report(["GM0344"], data=data, lang="en"), tmp_path).split())
    assert "The social basis of Utrecht" in flat
    assert "Municipality GM0344" in flat
    assert "Profile against the municipality and the country" in flat
    assert "this report contains fictional sample data" in flat
    assert "Page 1 /" in flat
    assert "Provisions in this area (" in flat


def test_report_on_real_records_has_no_sample_warning(data, tmp_path):
    """Amsterdam's repair cafés are real: no fictional mark, their source credited."""
    from wijkmap.core.view import ViewState

    state = ViewState(voorbeeld=False)
    flat = " ".join(text_of(build_report(["GM0363"], data=data, state=state), tmp_path).split())
    assert "fictie" not in flat.casefold()
    assert "Voorzieningen: Repair Cafés in Amsterdam (" in flat


def test_unknown_code_and_year_are_named(data):
    with pytest.raises(ReportError, match="BU99999999: dit gebied staat niet in het gegevensbestand"):
        build_report(["BU99999999"], data=data)
    with pytest.raises(ReportError, match="XX12: geen gebiedscode"):
        build_report(["XX12"], data=data)
    with pytest.raises(ReportError, match="--jaar 1990: geen cijfers voor Utrecht"):
        build_report([BUURT], data=data, jaar=1990)
    with pytest.raises(ReportError, match="hoogstens 4 gebieden"):
        build_report([BUURT] * 5, data=data)


def test_a_record_name_with_markup_is_printed_literally(small_store_path, tmp_path):
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    records = wstore.read_records(path)
    hostile = records[records["buurtcode"] == BUURT].head(1).copy()
    hostile["id"], hostile["naam"], hostile["bron"] = "hostile-1", HOSTILE, "Register <i>Utrecht</i>"
    wstore.upsert_records(hostile, path=path)
    data = content.load(path)
    from wijkmap.council.report.build import report_html

    markup = report_html([BUURT], data=data)
    assert "<script>" not in markup and "<b>Buurthuis</b>" not in markup
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Buurthuis&lt;/b&gt;" in markup
    # Without spaces: the PDF may break a line inside the name ("</ b>").
    dense = "".join(text_of(build_report([BUURT], data=data), tmp_path).split())
    assert '<script>alert("x")</script>&<b>Buurthuis</b>' in dense
    assert "Register<i>Utrecht</i>" in dense


def test_css_strings_cannot_end_the_style_element():
    text = str(html.css_string('a"b\\c</style><script>'))
    assert "</style>" not in text and '"b' not in text
    assert text.startswith('"') and text.endswith('"')


def test_rendering_fetches_nothing_from_the_network():
    """An http(s) image in the HTML is refused by the fetcher, not requested."""
    fetcher = pdf.fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("https://example.org/font.woff")
    pdf_bytes = pdf.html_to_pdf('<p>hallo</p><img src="http://127.0.0.1:9/x.png">')
    assert pdf_bytes.startswith(b"%PDF")


def test_provisions_table_marks_the_sample_once(data):
    records = pd.DataFrame(
        {
            "naam": ["Buurthuis De Linde (fictief)", "Repair Café Oost"],
            "soort": ["buurthuis", "repair_cafe"],
            "strategie": ["bridging", ""],
            "actortype": ["bewoners;gemeente", "vrijwilligersorganisatie"],
            "bron": ["voorbeeld", "Register Utrecht"],
        }
    )
    groups = content.provisions_table(records, "nl")
    assert [g["categorie"] for g in groups] == ["Klassieke voorziening", "Pop-up / nieuw"]
    first, second = groups[0]["rows"][0], groups[1]["rows"][0]
    # The name's own "(fictief)" gives way to the row's mark: once, in the report's language.
    assert first["naam"] == "Buurthuis De Linde" and first["fictief"] is True
    assert first["actoren"] == "Bewoners, Gemeente"
    assert second["fictief"] is False and second["bron"] == "Register Utrecht"
    english = content.provisions_table(records, "en")
    assert english[0]["rows"][0]["naam"] == "Buurthuis De Linde" and english[0]["rows"][0]["fictief"] is True


def test_english_report_marks_a_sample_row_once_in_english(data, tmp_path):
    from wijkmap.council.report.build import report_html

    markup = report_html([BUURT], data=data, lang="en")
    assert "(fictief) <span" not in markup and "(fictief)</td>" not in markup
    assert '<span class="fictief">(fictional)</span>' in markup
    dutch = report_html([BUURT], data=data, lang="nl")
    assert dutch.count('<span class="fictief">(fictief)</span>') >= 10
    assert "(fictief) <span" not in dutch


def test_comparison_is_in_the_report(data, tmp_path):
    flat = " ".join(text_of(build_report([BUURT, "BU03440812"], data=data), tmp_path).split())
    assert "Vergelijking" in flat
    assert "Veldhuizen (BU03441024), Rivierenwijk (BU03440812)" in flat
    assert "cijfers van het nieuwste gemeenschappelijke jaar" in flat
    assert "vergelijk=BU03441024%2CBU03440812" in flat.replace(" ", "")


def test_cli_writes_the_pdf_and_refuses_an_unknown_code(store, tmp_path, capsys):
    from wijkmap.cli import main

    out = tmp_path / "veldhuizen.pdf"
    assert main(["rapport", "--gebied", BUURT.lower(), "--taal", "en", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"Rapport over {BUURT} geschreven naar {out}" in said
    flat = " ".join(text_of(out.read_bytes(), tmp_path).split())
    assert "The social basis of Veldhuizen" in flat

    missing = tmp_path / "missing.pdf"
    assert main(["rapport", "--gebied", "BU99999999", "--out", str(missing)]) == 1
    error = capsys.readouterr().err
    assert "Fout: BU99999999: dit gebied staat niet in het gegevensbestand" in error
    assert not missing.exists()
    assert main(["rapport", "--gebied", BUURT, "--vergelijk", "WK999999", "--out", str(missing)]) == 1
    assert "WK999999" in capsys.readouterr().err


def test_deventer_whole_with_real_figures_and_no_provisions(mixed_store_path, tmp_path):
    """A real-data gemeente: CBS figures on the map and in the profile, no provisions, so
    no ranking (and the ways to get them), and nothing fictional."""
    pdf_bytes = build_report(["GM0150"], data=content.load(mixed_store_path))
    flat = " ".join(text_of(pdf_bytes, tmp_path).split())
    assert "De sociale basis van Deventer" in flat and "Gemeente GM0150" in flat
    assert "Voorzieningen in dit gebied (0)" in flat
    assert "dus staat hier geen rangorde" in flat and "python -m wijkmap import BESTAND" in flat
    assert "CBS 85984NED (KWB 2024)" in flat  # the profile's sources
    assert "Inwoners 2024 103.405" in flat  # Deventer's own figure (CBS KWB 2024)
    assert "fictie" not in flat.casefold()
    images = [row for row in images_of(pdf_bytes, tmp_path) if row[2] == "image"]
    assert len(images) == 1 and images[0][0] == "1"  # the map; no chart without provisions


def test_the_map_image_draws_a_name_with_dollar_signs_as_text(data):
    """matplotlib would read "$...$" as a formula (and fail on a bad one): names are escaped."""
    import dataclasses

    from wijkmap.council import map_image

    report = content.gather(data, BUURT)
    area = dataclasses.replace(report.area, naam=r"Buurt $\frac{1}{$ kosten")  # unescaped: ValueError
    png = map_image.map_png(dataclasses.replace(report, area=area), "nl")
    assert png.startswith(b"\x89PNG")


def test_sources_page_credits_each_record_source_and_openstreetmap_as_its_licence_asks():
    from types import SimpleNamespace

    from wijkmap.core import vocabulary as vocab
    from wijkmap.council.report.build import _sources

    shown = pd.DataFrame({"bron": [vocab.OSM_BRON, vocab.OSM_BRON, "Register Deventer", "voorbeeld"]})
    report = SimpleNamespace(
        choropleth=SimpleNamespace(source="Bron: CBS KWB 2024; kaart: CBS, Kadaster"),
        profile_sources=["CBS 85984NED (KWB 2024)"],
        shown=shown,
    )
    lines = _sources(report, "nl")
    assert lines[0] == "Bron: CBS KWB 2024; kaart: CBS, Kadaster"
    assert "Profiel: CBS 85984NED (KWB 2024); gebiedsgrenzen: CBS, Kadaster" in lines
    assert f"Voorzieningen: {vocab.OSM_CREDIT} (2)" in lines
    assert "Voorzieningen: Register Deventer (1)" in lines
    assert "Voorzieningen: fictieve voorbeelddata (1)" in lines


def test_the_printed_cycle_charts_tell_categories_apart_without_colour():
    """On paper the bars carry their category's number and the lines a dash each; the
    legend names each number, so the charts read in black and white."""
    import re

    import vl_convert

    from wijkmap.change import view as change_view
    from wijkmap.council.report import charts

    yearly = pd.DataFrame(
        [
            {"jaar": jaar, "categorie": cat, "open": 3, "geopend": 1 + (jaar % 2), "gesloten": jaar % 2}
            for jaar in (2021, 2022, 2023)
            for cat in ("klassiek", "initiatief")
        ]
    )
    (lines, line_spec), (events, bar_spec) = change_view.cycle_chart(yearly, 2021, 2023, "nl")
    top = vl_convert.vegalite_to_svg(charts.for_print(lines, line_spec, True), allowed_base_urls=[])
    assert "1 Klassieke voorziening" in top and "2 Initiatief" in top
    assert top.count("stroke-dasharray") >= 2
    bottom = vl_convert.vegalite_to_svg(charts.for_print(events, bar_spec, False), allowed_base_urls=[])
    marks = bottom.split('class="mark-text role-mark', 1)[1]
    on_bars = re.findall(r"<text[^>]*>([^<]*)</text>", marks)
    # A number on every part of every bar: 3 years opened, 2 years closed, 2 categories each.
    assert sorted(on_bars) == ["1"] * 5 + ["2"] * 5


def test_the_report_tells_one_story_of_change_over_the_screens_period(data):
    """The comparison's "Changed A–B" table, the Verandering summary and its counts: one
    period (the one Kaart's comparison opens with: change.model.period_choice over all
    records, this year included) and one count of what closed and opened."""
    import re

    from wijkmap.change import model as change
    from wijkmap.council.report.build import report_html

    lombok = "BU03440121"
    a, b = change.period_choice(data.records).resolve(None, None)
    markup = report_html([lombok, BUURT], data=data, lang="en")
    assert f"<h3>Changed {a}–{b}</h3>" in markup
    assert f"<strong>Summary {a}–{b}.</strong> Between {a} and {b}," in markup

    def cell(subject: str) -> int:
        found = re.search(rf"<tr><td>{subject}</td><td>{a}-{b}</td><td class=\"num\">(\d+)</td>", markup)
        assert found, subject
        return int(found.group(1))

    gone, opened = cell("Disappeared"), cell("Opened")
    assert gone >= 1 and opened >= 1  # Lombok-Oost's sample has both
    assert f"Disappeared: <strong>{gone}</strong>" in markup
    summary = re.search(r"<strong>Summary [^<]*</strong>([^<]*)</p>", markup).group(1)
    assert "nothing closed" not in summary
    assert f" {opened} provisions opened" in summary


def test_a_year_the_maps_indicator_lacks_still_makes_the_report(mixed_store_path, tmp_path):
    """Deventer has KWB 2024 figures, the default indicator only 2015: --jaar 2024 gives
    the 2024 profile and the map of 2015, saying so; a year without any figure is named."""
    data = content.load(mixed_store_path)
    flat = " ".join(text_of(build_report(["GM0150"], data=data, jaar=2024), tmp_path).split())
    assert "Inwoners 2024 103.405" in flat
    assert "geen cijfers van 2024: de kaart toont 2015, het nieuwste jaar" in flat
    english = " ".join(text_of(build_report(["GM0150"], data=data, jaar=2024, lang="en"), tmp_path).split())
    assert "no figures of" in english and "for 2024: the map shows 2015, the newest year" in english
    with pytest.raises(
        ReportError, match=r"--jaar 1990: geen cijfers voor Deventer \(GM0150\) in 1990 \(jaren met cijfers: .*2024"
    ):
        build_report(["GM0150"], data=data, jaar=1990)
