"""Kaart's "Rapport (PDF)" button under Streamlit's AppTest: a click makes the report and
offers its download; a failure is a clear message in the person's language (and a log
line), not a Streamlit exception."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from wijkmap.council.report import button

BUURT = "BU03441024"


def report_app(lang: str = "nl") -> None:
    from wijkmap.core.view import ViewState
    from wijkmap.council.report.button import report_button

    report_button(ViewState(gemeente="GM0344", gebied="BU03441024"), lang)


def _click(lang: str) -> AppTest:
    app = AppTest.from_function(report_app, args=(lang,), default_timeout=60).run()
    assert not app.exception
    app.button(key="report_make").click().run()
    return app


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", f"Het rapport over {BUURT} kon niet worden gemaakt"), ("en", f"The report on {BUURT} could not be made")],
)
def test_a_failing_report_says_so_in_words_and_logs_the_error(store, monkeypatch, caplog, lang, words):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing broke: internal detail")

    monkeypatch.setattr(button, "build_report", broken)
    with caplog.at_level(logging.ERROR, logger=button.__name__):
        app = _click(lang)
    assert not app.exception  # no traceback on the page
    [error] = app.error
    assert words in error.value
    assert "internal detail" not in error.value  # the cause is for the log, not the page
    assert not app.get("download_button")
    assert any("drawing broke" in record.exc_text for record in caplog.records if record.exc_text)


def test_a_report_error_names_what_is_wrong(store, monkeypatch):
    from wijkmap.council.report import ReportError

    def refused(*args, **kwargs):
        raise ReportError("indicator x: staat niet in de catalogus")

    monkeypatch.setattr(button, "build_report", refused)
    [error] = _click("nl").error
    assert "indicator x: staat niet in de catalogus" in error.value


def test_a_made_report_waits_behind_its_download_button(store, monkeypatch):
    made = []

    def fake(codes, **kwargs):
        made.append(codes)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(button, "build_report", fake)
    app = AppTest.from_function(report_app, default_timeout=60).run()
    assert not app.get("download_button")  # nothing is made before the click
    app.button(key="report_make").click().run()
    assert made == [[BUURT]] and not app.error
    [download] = app.get("download_button")
    assert download.proto.label == "Download rapport (PDF)"
    app.run()  # a rerun of the same view keeps it, without making it again
    assert len(app.get("download_button")) == 1 and len(made) == 1
