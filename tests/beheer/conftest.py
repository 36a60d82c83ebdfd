"""What the Beheer page's AppTest tests share: a users file with a beheerder and a
moderator, the page opened on the app, and logging in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def users_file(tmp_path, monkeypatch) -> Path:
    from wijkmap.accounts import users

    path = tmp_path / "gebruikers.json"
    users.add("anna.beheer", users.BEHEERDER, PASSWORD, path)
    users.add("mia.jansen", users.MODERATOR, PASSWORD, path)
    monkeypatch.setenv("WIJKMAP_USERS", str(path))
    return path


def beheer(store) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=90)
    app.run()
    app.switch_page("app_pages/beheer.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def log_in(app: AppTest, name: str) -> AppTest:
    app.text_input(key="beheer_account_name").input(name)
    app.text_input(key="beheer_account_password").input(PASSWORD)
    (submit,) = [button for button in app.button if button.key.startswith("FormSubmitter:beheer_account-")]
    submit.click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app
