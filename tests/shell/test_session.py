"""session: the view follows a link when a session starts, and the widgets after that.

A small app built on session (two widgets of the view and the URL round trip) runs under
Streamlit's AppTest, which plays the browser: it sends the address the browser has with
every rerun. Browser tests of the real pages are in tests/browser/test_change.py.
"""

from __future__ import annotations

import types

import pytest
from streamlit.testing.v1 import AppTest

from wijkmap.shell import session


def view_app():
    import dataclasses

    import streamlit as st

    from wijkmap.shell import session

    state, notes = session.load_from_url()
    sample = st.toggle("voorbeelddata", key="view_voorbeeld")
    gemeente = st.text_input("gemeente", key="view_gemeente")
    if st.button("step to Rotterdam"):
        session.show_view(dataclasses.replace(state, gemeente="GM0599"))
        st.rerun()
    session.write_to_url(dataclasses.replace(state, voorbeeld=sample, gemeente=gemeente or None))
    st.text(f"notes: {notes}")


@pytest.fixture
def app() -> AppTest:
    app = AppTest.from_function(view_app, default_timeout=30)
    app.query_params["gemeente"] = "GM0344"
    return app.run()


def address(app: AppTest) -> dict[str, str]:
    return {key: value[0] if isinstance(value, list) else value for key, value in app.query_params.items()}


def test_a_link_sets_the_widgets_when_the_session_starts(app):
    assert app.text_input[0].value == "GM0344"
    assert app.toggle[0].value is True
    assert address(app) == {"gemeente": "GM0344"}


def test_a_bad_link_value_is_named_once(app):
    fresh = AppTest.from_function(view_app, default_timeout=30)
    fresh.query_params["klassen"] = "99"
    fresh.run()
    assert "klassen" in fresh.text[0].value
    fresh.run()
    assert fresh.text[0].value == "notes: []"


def test_a_rerun_carrying_an_older_address_does_not_undo_a_change(app):
    """The browser sends the address it has when it asks for a rerun. A rerun asked for
    just after a change (the map reporting its position) can carry the address from
    before the change had been written: the change must stay, and the address be put right."""
    app.toggle[0].set_value(False).run()
    assert address(app) == {"gemeente": "GM0344", "voorbeeld": "0"}

    app.query_params.clear()
    app.query_params["gemeente"] = "GM0344"  # the address from before the switch
    app.run()

    assert app.toggle[0].value is False
    assert address(app) == {"gemeente": "GM0344", "voorbeeld": "0"}


def test_a_rerun_without_an_address_keeps_the_view(app):
    """Streamlit drops the query when the person switches pages: the view stays."""
    app.text_input[0].input("GM0363").run()
    app.query_params.clear()
    app.run()
    assert app.text_input[0].value == "GM0363"
    assert address(app) == {"gemeente": "GM0363"}


def test_show_view_sets_the_widgets_from_the_new_address(app):
    app.button[0].click().run()
    assert app.text_input[0].value == "GM0599"
    assert address(app) == {"gemeente": "GM0599"}
    # An older address arriving afterwards does not bring the previous view back.
    app.query_params.clear()
    app.query_params["gemeente"] = "GM0344"
    app.run()
    assert app.text_input[0].value == "GM0599"


def test_a_late_message_with_the_widgets_from_before_a_step_does_not_undo_it(app):
    """Right after show_view, the browser may still send the widgets' values from before
    (it asked for a rerun before it had the new view): the step stays."""
    app.button[0].click().run()
    app.text_input[0].set_value("GM0344").run()  # what the browser still had
    assert app.text_input[0].value == "GM0599"
    assert address(app) == {"gemeente": "GM0599"}


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """session's clock, set by the test: [seconds]."""
    now = [1000.0]
    monkeypatch.setattr(session, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    return now


def test_a_late_message_long_after_a_step_is_still_put_right(app, clock):
    """On a busy machine the browser's message from before the step can arrive many
    seconds later (a presentation left, then shown again): it is put right all the same."""
    app.button[0].click().run()
    clock[0] += 5
    app.text_input[0].set_value("GM0344").run()  # what the browser had before the step
    assert app.text_input[0].value == "GM0599"
    assert address(app) == {"gemeente": "GM0599"}


def test_a_change_after_the_browser_caught_up_is_kept(app, clock):
    """Once a message shows the browser has the shown view, what it sends is the person's
    doing, even a setting put back to what it was before the step."""
    app.button[0].click().run()
    app.run()  # the browser, now with the step's view, asks for a rerun (the map reporting)
    clock[0] += 1
    app.text_input[0].set_value("GM0344").run()
    assert app.text_input[0].value == "GM0344"
    assert address(app) == {"gemeente": "GM0344"}


def test_a_late_message_with_the_address_from_before_a_step_is_put_right_after_catching_up(app, clock):
    """A message the browser sent before it had the step's address is late, even when a
    run in between already showed the step (messages of the map and of a click can cross):
    the step stays, and the address is put right again."""
    app.button[0].click().run()
    app.run()  # the browser, with the step's view
    clock[0] += 1
    app.query_params.clear()
    app.query_params["gemeente"] = "GM0344"  # the address from before the step
    app.text_input[0].set_value("GM0344").run()  # and the widget's value from before
    assert app.text_input[0].value == "GM0599"
    assert address(app) == {"gemeente": "GM0599"}


def test_going_back_by_hand_to_the_view_before_a_step_is_kept(app, clock):
    """After the browser caught up, a person who puts the setting back gets that view, also
    on the reruns after it (which carry that address)."""
    app.button[0].click().run()
    app.run()
    app.text_input[0].set_value("GM0344").run()
    app.run()
    app.run()
    assert app.text_input[0].value == "GM0344"
    assert address(app) == {"gemeente": "GM0344"}


def test_a_shown_view_is_not_kept_for_ever(app, clock):
    """A browser never seen to catch up: after the safety limit a change back is the person's."""
    app.button[0].click().run()
    clock[0] += 31
    app.text_input[0].set_value("GM0344").run()
    assert app.text_input[0].value == "GM0344"
