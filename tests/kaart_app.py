"""Kaart run headless with Streamlit's AppTest, from a link's query parameters."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from wijkmap.config import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def kaart(*, timeout: float = 90, **query) -> AppTest:
    """The Kaart page opened with `query` as its link, run once, without an exception."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app
