"""The view of a session: the ViewState, its widgets' values, and its round trip through the URL.

A link is where a view starts: on the first run of a session the widgets are set from the
URL, and after every run the URL is rewritten from them, so the address bar always holds
a link that restores this view.

Within a session the widgets are the truth, not the address a rerun carries. That address
can be stale (the browser sends the one it had when it asked, which may predate the last
write: a click right after the map reported its position would be undone) or stripped
(Streamlit drops the query on a switch to another page, which would reset the view). The
widgets follow the URL again only when asked to (show_view: a draaiboek step, a click on
the map) and when the person goes back or forward in the browser's history. The browser
can also send the widgets' own values from before a shown view (a message it sent before
the shown view reached it, which on a loaded machine can arrive many seconds later):
those are put right until the browser is seen to have caught up (see _undo_stale_widgets).
"""

from __future__ import annotations

import dataclasses
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wijkmap.core import view as view_state
from wijkmap.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from wijkmap.core.view import ViewState

_PREFIX = "view_"
_VIEW = "view"
_FOLLOW_URL = "_view_follow_url"
_PAGE = "_view_page"  # the page whose widgets were set last from the view
_SHOWN = "_view_shown"  # a _Shown: see _undo_stale_widgets
_WRITTEN = "_view_written"  # the address last put in the address bar
_IGNORED = "_view_ignored"  # see ignored_parameters
# How long a shown view is kept against late messages when the browser is never seen to
# catch up: far longer than a late message takes, short enough that a person who puts a
# setting back to what it was before a step is not overruled for long.
_STALE_LIMIT_SECONDS = 30


@dataclasses.dataclass(frozen=True)
class _Shown:
    """A view shown by show_view, kept against the browser's late messages."""

    old: dict  # the changed settings' widget values before
    new: dict  # and as shown
    until: float  # time.monotonic() after which nothing is put right any more
    address_before: dict[str, str]  # the address the browser had before
    caught_up: bool = False  # a run has shown every changed setting at its shown value


# What a widget shows for a setting that is None in the state.
_WIDGET_NONE = {"gemeente": "", "niveau": "", "jaar": 0, "tijdelijk": "", "peiljaar": 0, "bereik": ""}


def widget_key(name: str) -> str:
    return _PREFIX + name


def load_from_url() -> tuple[ViewState, list[str]]:
    """The view state, with the problems of the link it was read from (when read from one)."""
    page = getattr(get_script_run_ctx(), "page_script_hash", None)
    switched = st.session_state.get(_PAGE) != page
    st.session_state[_PAGE] = page
    if follows_url():
        if not st.session_state.pop(_FOLLOW_URL, False):
            # A link or the back button: a view shown before is not to be kept any more.
            st.session_state.pop(_SHOWN, None)
        state, notes = view_state.from_query(_current_query())
        st.session_state[_VIEW] = state
        st.session_state[_IGNORED] = notes
        _set_widgets(state, overwrite=True)
    else:
        state, notes = st.session_state[_VIEW], []
        if switched:
            st.session_state.pop(_IGNORED, None)
        # Coming from the other page of the view (Kaart, Verandering), its widgets of the
        # same name hold values that do not carry over. Otherwise the widgets hold what
        # the person just did; only those not drawn in the last run lost their state.
        _set_widgets(state, overwrite=switched)
        _undo_stale_widgets()
    return state, notes


def ignored_parameters() -> list[str]:
    """What the link the view was last read from held that was ignored (the notes of
    state.from_query), until the view is read from a link again or the page changes: the
    map's first report reruns the page at once, and the warning must stay to be read."""
    return st.session_state.get(_IGNORED, [])


def add_ignored(note: str) -> None:
    """Name one more part of the link that was ignored, for a check only a feature can
    make (an area code or an indicator the store does not hold): shown with the others."""
    notes = st.session_state.setdefault(_IGNORED, [])
    if note not in notes:
        notes.append(note)


def follows_url() -> bool:
    """Whether this run takes the view from the URL rather than from the session: the
    session's first run, after show_view, and the browser's back and forward buttons."""
    # Streamlit's page navigation leaves a history entry without a query: going back to it
    # says nothing about the view, so the session's view stays (and is written back).
    return (
        _VIEW not in st.session_state
        or st.session_state.get(_FOLLOW_URL, False)
        or (_history_navigation() and bool(_current_query()))
    )


def current_view() -> ViewState | None:
    """The view of the session's last run (None before the first)."""
    return st.session_state.get(_VIEW)


def write_to_url(state: ViewState) -> None:
    """Put the view in the address bar. Also when the address the browser sent already
    reads so: a late message can carry an address older than the one last written, and
    the browser then shows the newer one."""
    st.session_state[_VIEW] = state
    query = view_state.to_query(state)
    shown = st.session_state.get(_SHOWN)
    if shown and shown.caught_up and query == shown.address_before:
        # The person went back to the view from before the step: that address is theirs now.
        st.session_state.pop(_SHOWN, None)
    if _current_query() != query or st.session_state.get(_WRITTEN) != query:
        _write_query(query)


def _write_query(query: dict[str, str]) -> None:
    st.query_params.from_dict(query)
    st.session_state[_WRITTEN] = query


def show_view(state: ViewState, chosen_in_browser: bool = False) -> None:
    """Switch to another whole view once this run's widgets are drawn or from a callback
    (a draaiboek step, a click on the map): the URL is set to it, and the next
    load_from_url sets every widget from the URL, as for a pasted link.
    `chosen_in_browser`: a widget the person just used asked for it (the list of areas),
    so the browser already shows what changed; only a message with the address from
    before can still be late."""
    address_before = _current_query()
    _write_query(view_state.to_query(state))
    st.session_state[_FOLLOW_URL] = True
    before = current_view()
    if before is None:  # nothing shown before: no late message can bring it back
        st.session_state.pop(_SHOWN, None)
        return
    old, new = _widget_values(before), _widget_values(state)
    changed = {name for name in new if old[name] != new[name]}
    st.session_state[_SHOWN] = _Shown(
        {name: old[name] for name in changed},
        {name: new[name] for name in changed},
        time.monotonic() + _STALE_LIMIT_SECONDS,
        address_before,
        caught_up=chosen_in_browser,
    )


def _undo_stale_widgets() -> None:
    """Keep a view shown by show_view against a late message of the browser.

    A rerun the browser asked for before it had the shown view (the map reporting its
    position) carries the widgets' values from before it, and Streamlit takes them: a
    step or the way out of presentation mode would be undone. Such a message can arrive
    long after the step when the machine is busy, so no fixed short time will do. Two
    signs tell it: it carries the address from before the step (the browser had not yet
    taken the shown view's address when it sent it), or a setting that show_view changed
    is back at its value from before while no run has yet shown every changed setting at
    its shown value (the browser has not caught up). Either way the changed settings are
    set to the shown values again, for at most _STALE_LIMIT_SECONDS. After the browser has
    caught up, what it sends with a newer address is the person's doing."""
    shown = st.session_state.get(_SHOWN)
    if not shown:
        return
    if time.monotonic() > shown.until:
        st.session_state.pop(_SHOWN, None)
        return
    current = {name: st.session_state.get(widget_key(name)) for name in shown.new}
    sent_before_step = bool(shown.address_before) and _current_query() == shown.address_before
    if not sent_before_step:
        if shown.caught_up:
            return
        if current == shown.new:
            st.session_state[_SHOWN] = dataclasses.replace(shown, caught_up=True)
            return
    for name, value in shown.new.items():
        if current[name] == shown.old[name]:
            st.session_state[widget_key(name)] = value


def set_language(lang: str) -> None:
    """Switch the interface language (kept in the view, so it survives a page switch)."""
    state = dataclasses.replace(current_view() or view_state.from_query(_current_query())[0], lang=lang)
    st.session_state[_VIEW] = state
    if lang == ViewState().lang:  # as view_state.to_query writes it: the default left out
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    # Every label changes, so Streamlit sees new widgets: set them all from the view again.
    st.session_state.pop(_PAGE, None)


def is_late(name: str, value) -> bool:
    """Whether `value` for the setting `name`, sent by a widget drawn outside the view's
    own widgets (the list of areas beside the map), is the browser's late message: the
    value from before the view show_view last showed, before the browser caught up."""
    shown = st.session_state.get(_SHOWN)
    return bool(
        shown
        and not shown.caught_up
        and time.monotonic() <= shown.until
        and name in shown.old
        and shown.old[name] == (_WIDGET_NONE.get(name) if value is None else value)
    )


def set_value(name: str, value) -> None:
    """Change one setting from outside a widget (a click on the map)."""
    st.session_state[widget_key(name)] = _WIDGET_NONE.get(name) if value is None else value


def change(state: ViewState, **changes) -> ViewState:
    """Change settings from outside their widgets, before those are drawn in this run:
    the view and the widgets both, so the next run keeps them."""
    state = dataclasses.replace(state, **changes)
    st.session_state[_VIEW] = state
    for name, value in changes.items():
        set_value(name, value)
    return state


def _current_query() -> dict[str, str]:
    return {key: st.query_params[key] for key in st.query_params}


def _history_navigation() -> bool:
    """Whether this run answers the browser's back or forward button."""
    context = get_script_run_ctx()
    return bool(getattr(context, "is_history_navigation", False))


def _widget_values(state: ViewState) -> dict:
    """What each setting's widget shows for `state`."""
    values = {}
    for item in dataclasses.fields(ViewState):
        value = getattr(state, item.name)
        values[item.name] = _WIDGET_NONE.get(item.name) if value is None else value
    return values


def _set_widgets(state: ViewState, overwrite: bool) -> None:
    for name, value in _widget_values(state).items():
        if overwrite:
            st.session_state[widget_key(name)] = value
        else:
            st.session_state.setdefault(widget_key(name), value)


def current_language() -> str:
    """The language of the view (the URL counts only where the view follows it)."""
    view = current_view()
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE) if view is None or follows_url() else view.lang
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
