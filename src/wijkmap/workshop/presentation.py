"""Workshop mode on the map page (Streamlit): presentation mode and the draaiboek.

Presentation mode is a setting of the view (`presentatie` in the URL): the page hides
the sidebar and its header with static CSS, draws the map over the whole width and
height of the screen and draws type, symbols and the legend large.

The draaiboek (see draaiboek.py) travels in the URL too (`draaiboek`, with `stap` for
the step shown), so a reload or a link on another laptop reopens the same sequence at
the same step. Every change to it, and every step shown, goes through
session.show_view: the URL is set to the new view and the widgets follow it on the
next run, exactly as for a pasted link.

Keyboard: `keyboard()` puts a small script in the page (st.html, same document) that
listens for ArrowLeft/ArrowRight and PageUp/PageDown (what a presenter's clicker sends)
and clicks the ◀/▶ buttons; it is installed once per page, however often it is drawn,
and also listens inside the map's frame once focus went there.
"""

from __future__ import annotations

import dataclasses
import functools
import html
from collections.abc import Callable

import pandas as pd
import streamlit as st

from wijkmap.core.i18n import t
from wijkmap.core.view import ViewState
from wijkmap.shell import session, widgets
from wijkmap.shell.text import literal
from wijkmap.workshop import draaiboek as db

PREV, NEXT, EXIT = "wm_step_prev", "wm_step_next", "wm_presentation_exit"
_ERROR = "_wm_draaiboek_error"  # (heading key, problems): shown until the next draaiboek action


# --- the draaiboek in the view state -----------------------------------------------------


@functools.lru_cache(maxsize=32)
def _decode(text: str) -> tuple[db.Draaiboek | None, tuple[str, ...]]:
    try:
        return db.decode(text), ()
    except db.DraaiboekError as error:
        return None, tuple(error.problems)


def book_of(state: ViewState) -> db.Draaiboek | None:
    """The draaiboek `state` carries (None when there is none or it cannot be read)."""
    return _decode(state.draaiboek)[0] if state.draaiboek else None


def prepare(state: ViewState, notes: list[str]) -> tuple[ViewState, list[str], db.Draaiboek | None]:
    """Right after session.load_from_url: read the draaiboek of the link. One that
    cannot be read is dropped with a message naming the problem; a step number past the
    end is forgotten."""
    kept = [note for note in notes if not note.startswith("draaiboek=")]
    if len(kept) < len(notes):
        _set_error("draaiboek_link_refused", [
            f"De link met het draaiboek is te lang (hoogstens {db.MAX_LINK_CHARS} tekens) of bevat tekens die niet "
            "in een draaiboek horen (is de link volledig gekopieerd?)."
        ])
    book = None
    if state.draaiboek:
        book, problems = _decode(state.draaiboek)
        if book is None:
            _set_error("draaiboek_link_refused", list(problems))
    if book is None and (state.draaiboek or state.stap):
        state = session.change(state, draaiboek=None, stap=None)
    elif book is not None and state.stap and state.stap > len(book):
        state = session.change(state, stap=None)
    return state, kept, book


def _set_error(heading: str, problems: list[str]) -> None:
    st.session_state[_ERROR] = (heading, list(problems))


def messages(lang: str) -> None:
    """A draaiboek (file or link) or step that was refused, with every problem.

    Drawn in a container that is always there, so the map below keeps its place in the
    page (a map that moves in the page is drawn anew)."""
    with st.container(key="wm_messages"):
        error = st.session_state.get(_ERROR)
        if error:
            heading, problems = error
            st.error(t(heading, lang) + "\n\n" + "\n".join(f"- {literal(p)}" for p in problems))
            st.button(t("message_close", lang), key="wm_close_message", on_click=st.session_state.pop,
                      args=(_ERROR, None))


# --- sidebar ------------------------------------------------------------------------------


def sidebar(state: ViewState, lang: str) -> ViewState:
    """The presentation switch (and a quick way to the high-contrast palette)."""
    with st.sidebar:
        st.markdown(f"**{t('workshop', lang)}**")
        on = st.toggle(t("presentation_mode", lang), key="view_presentatie", help=t("presentation_help", lang))
        st.button(t("contrast_palette", lang), key="wm_contrast", help=t("contrast_palette_help", lang),
                  on_click=session.set_value, args=("palet", "contrast"), disabled=state.palet == "contrast")
    return dataclasses.replace(state, presentatie=bool(on))


# --- presentation ---------------------------------------------------------------------------

# Only our own, static CSS: no user text ever goes in here.
_PRESENTATION_CSS = """
<style>
  /* wijkmap presentation mode: the map fills the screen, type large enough for a room */
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
  html { font-size: 20px; }
  [data-testid="stMainBlockContainer"], .block-container { padding: 0.5rem 1.2rem 0 !important; max-width: 100% !important; }
  [data-testid="stAppViewContainer"] > .main, [data-testid="stMain"] { margin-left: 0 !important; }
  iframe[title="streamlit_folium.st_folium"] { height: calc(100vh - 8.6rem) !important; }
  .st-key-wm_stepbar button { font-size: 1.1rem; min-height: 2.6rem; }
  .st-key-wm_stepbar p, .st-key-wm_stepbar .stMarkdown { font-size: 1rem; }
  .wm-caption h2 { font-size: 1.9rem; line-height: 1.2; }
  .wm-caption p { font-size: 1.1rem; }
</style>
"""
_PAGE_CSS = """
<style>
  .st-key-wm_keys { display: none; }
  .wm-caption { margin: 0; }
  .wm-caption .wm-count { font-size: 0.85rem; color: #555; margin: 0; text-transform: uppercase; letter-spacing: .04em; }
  .wm-caption h2 { font-size: 1.5rem; margin: 0 0 .15rem; padding: 0; line-height: 1.25; }
  .wm-caption p { margin: 0; white-space: pre-wrap; }
  .wm-caption .wm-missing { color: #8a4b00; font-size: 0.9rem; }
  @media print {
    section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
    .stButton, .stDownloadButton, [data-testid="stExpander"], [data-testid="stFileUploader"] { display: none !important; }
  }
</style>
"""


def page_css(state: ViewState) -> None:
    st.html(_PAGE_CSS + (_PRESENTATION_CSS if state.presentatie else ""))


def step_bar(state: ViewState, book: db.Draaiboek | None, lang: str, heading: str, missing: list[str],
             handout: Callable[[], str] | None = None, handout_name: str = "wijkmap.html") -> None:
    """◀ "Stap 2 van 5" with the step's title and note ▶, and (presenting) the way out.

    `heading` is the caption when no step is shown (the gemeente); `missing` says what
    the step refers to that the data no longer holds. The container is always there (the
    map below keeps its place in the page when the first step is added)."""
    with st.container(key="wm_stepbar"):
        if not book and not state.presentatie:
            return
        widths = ([1.1] if book else []) + [6.2] + ([1.1] if book else []) + [1.5] + ([1.5] if state.presentatie else [])
        columns = list(st.columns(widths, vertical_alignment="center"))
        left, right = (columns.pop(0), columns.pop(1)) if book else (None, None)
        middle, end, *out = columns
        number = state.stap
        if book:
            left.button(t("step_prev", lang), key=PREV, width="stretch", disabled=not number or number <= 1,
                        on_click=_go_to, args=((number or 2) - 1,))
            right.button(t("step_next" if number else "step_start", lang), key=NEXT, width="stretch",
                         disabled=bool(number) and number >= len(book), on_click=_go_to, args=((number or 0) + 1,))
        with middle:
            e = html.escape
            if book and number:
                step = book.steps[number - 1]
                count = t("step_of", lang).format(n=number, total=len(book))
                body = f"<h2>{e(step.title)}</h2>" + (f"<p>{e(step.note)}</p>" if step.note else "")
            else:
                count = t("step_none", lang).format(total=len(book)) if book else ""
                body = f"<h2>{e(heading)}</h2>"
            notes = "".join(f'<p class="wm-missing">⚠ {e(m)}</p>' for m in missing)
            st.html(f'<div class="wm-caption"><p class="wm-count">{e(count)}</p>{body}{notes}</div>')
        if handout is not None:
            end.download_button(t("handout", lang), data=handout, file_name=handout_name, mime="text/html",
                                key="wm_handout", help=t("handout_help", lang), width="stretch", on_click="ignore")
        if out:
            # Through the URL, like a step: a late rerun from the browser that still carries
            # the hidden toggle's old value cannot switch presentation back on.
            out[0].button(t("presentation_exit", lang), key=EXIT, on_click=session.show_view,
                          args=(dataclasses.replace(state, presentatie=False),), width="stretch")
        if book:
            keyboard()


def missing_for_step(state: ViewState, book: db.Draaiboek | None, gemeenten: dict[str, str],
                     catalogue: pd.DataFrame, records: pd.DataFrame, area_codes) -> list[str]:
    """What the step shown refers to that the data no longer holds (empty: all there).

    `gemeenten` maps code to name, `catalogue` and `records` are the store's, and
    `area_codes` the areas the map shows."""
    if not book or not state.stap:
        return []
    known = db.Known(
        gemeenten,
        frozenset(catalogue.loc[catalogue["jaren"].fillna("") != "", "indicator"]),
        frozenset(records["bron"]),
    )
    saved = book.steps[state.stap - 1].state()
    same_map = (saved.gemeente, saved.niveau) == (state.gemeente, state.niveau)
    return db.missing_in_data(saved, known, area_codes if same_map else None)


# --- stepping ------------------------------------------------------------------------------


def _current() -> ViewState:
    return session.current_view() or ViewState()


def _go_to(number: int) -> None:
    """Show step `number` (1-based) of the draaiboek: its view, and its caption."""
    current = _current()
    book = book_of(current)
    if not book:
        return
    number = min(max(number, 1), len(book))
    session.show_view(dataclasses.replace(book.steps[number - 1].state(current), stap=number))


# Installed once per page (a flag on the window), however often Streamlit redraws it;
# the buttons are looked up at each key press, so redrawn buttons keep working.
_KEYBOARD_JS = """
<script>
(function () {
  if (window.__wijkmapStepKeys) { return; }
  window.__wijkmapStepKeys = true;
  var keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  var typing = 'input, textarea, select, [contenteditable="true"], [contenteditable=""], [role="slider"], ' +
               '[role="combobox"], [role="listbox"], [role="radiogroup"], [role="radio"], [role="tablist"], ' +
               '[role="menu"], [role="toolbar"]';
  // One step at a time: a key pressed while the app still runs (drawing the last step, or
  // answering the new map, which reports its position right after it is drawn) waits until
  // the app has been quiet for a moment. So a double press of a clicker moves two steps,
  // and a step is never asked while the page still carries the previous one.
  var queue = [], busy = false, quietSince = 0;
  function quiet() {
    var app = document.querySelector('[data-testid="stApp"]');
    var idle = !app || app.getAttribute("data-test-script-state") === "notRunning";
    var now = Date.now();
    if (!idle) { quietSince = 0; return false; }
    if (!quietSince) { quietSince = now; }
    return now - quietSince >= 600;
  }
  function next() {
    if (busy || !queue.length) { return; }
    if (!quiet()) { setTimeout(next, 100); return; }
    var which = queue.shift();
    var button = document.querySelector(".st-key-wm_step_" + which + " button");
    if (button && !button.disabled) {
      busy = true;
      quietSince = 0;
      button.click();
      setTimeout(function () { busy = false; next(); }, 300);  // let the run start before looking again
    } else {
      next();
    }
  }
  setInterval(quiet, 100);  // keep track of quiet time between key presses too
  function onKey(event) {
    var which = keys[event.key];
    if (!which || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest(typing)) { return; }
    if (!document.querySelector(".st-key-wm_step_" + which + " button")) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (queue.length < 5) { queue.push(which); }
    next();
  }
  document.addEventListener("keydown", onKey, true);
  // After a click on the map, keys go to the map's frame (same origin): listen there too.
  function watch(frame) {
    var doc = null;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc || doc.__wijkmapStepKeys) { return; }
    doc.__wijkmapStepKeys = true;
    doc.addEventListener("keydown", onKey, true);
  }
  // Map frames come and go (a new map is a new frame, its document loads later): hook each
  // new frame as it appears, and listen in its document as soon as that has loaded.
  function hook(frame) {
    if (!frame.__wijkmapHooked) {
      frame.__wijkmapHooked = true;
      frame.addEventListener("load", function () { watch(frame); });
    }
    watch(frame);
  }
  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'), hook);
  }
  scan();
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
})();
</script>
"""


def keyboard() -> None:
    with st.container(key="wm_keys"):  # hidden (page CSS): it only carries the script
        st.html(_KEYBOARD_JS, unsafe_allow_javascript=True)


# --- editing the draaiboek -------------------------------------------------------------------


def editor(state: ViewState, book: db.Draaiboek | None, lang: str) -> None:
    """Add the current map as a step, reorder, update and remove steps, save, open, share."""
    with st.expander(t("draaiboek", lang), expanded=bool(book)):
        st.caption(t("draaiboek_intro", lang))
        with st.form("wm_add_step", border=False, enter_to_submit=False):
            st.text_input(t("step_title", lang), key="wm_new_title", max_chars=db.MAX_TITLE)
            st.text_area(t("step_note", lang), key="wm_new_note", max_chars=db.MAX_NOTE, height=90)
            st.form_submit_button(t("add_step", lang), on_click=_add_step)
        if book:
            for index, step in enumerate(book.steps):
                _step_row(index, step, state.stap == index + 1, len(book), lang)
            left, middle, _ = st.columns([1.4, 1.2, 2])
            left.download_button(t("draaiboek_save", lang), data=db.to_json(book).encode("utf-8"),
                                 file_name="draaiboek.json", mime="application/json", key="wm_save",
                                 on_click="ignore")
            middle.button(t("draaiboek_clear", lang), key="wm_clear", on_click=_save, args=(None, None))
            st.caption(t("draaiboek_link", lang))
            st.code(share_link(book, state), language=None, wrap_lines=True)
        else:
            st.caption(t("draaiboek_empty", lang))
        st.file_uploader(t("draaiboek_load", lang), type=["json"], key="wm_upload", on_change=_load_file,
                         max_upload_size=1)


def _step_row(index: int, step: db.Step, current: bool, total: int, lang: str) -> None:
    number, text, up, down, show, update, remove = st.columns([0.45, 5, 0.9, 0.9, 0.9, 1.1, 1.1],
                                                              vertical_alignment="center")
    number.markdown(f"**{'▶ ' if current else ''}{index + 1}**")
    e = html.escape
    text.html(f"<b>{e(step.title)}</b>" + (f"<br><small>{e(step.note)}</small>" if step.note else ""))
    up.button("↑", key=f"wm_up_{index}", help=t("step_up", lang), disabled=index == 0, on_click=_move,
              args=(index, -1))
    down.button("↓", key=f"wm_down_{index}", help=t("step_down", lang), disabled=index == total - 1,
                on_click=_move, args=(index, 1))
    show.button(t("step_show", lang), key=f"wm_show_{index}", help=t("step_show_help", lang), on_click=_go_to,
                args=(index + 1,))
    update.button(t("step_update", lang), key=f"wm_update_{index}", help=t("step_update_help", lang),
                  on_click=_update, args=(index,))
    remove.button("✕", key=f"wm_remove_{index}", help=t("step_remove", lang), on_click=_remove, args=(index,))


def share_link(book: db.Draaiboek, state: ViewState) -> str:
    """A link that opens `book` at step 1, in presentation mode."""
    first = dataclasses.replace(book.steps[0].state(state), draaiboek=db.encode(book), stap=1, presentatie=True)
    return widgets.share_url(first)


def _save(book: db.Draaiboek | None, stap: int | None, view: ViewState | None = None) -> None:
    """Put the changed draaiboek (None: none) in the URL; refused with a message when too long."""
    st.session_state.pop(_ERROR, None)
    try:
        encoded = db.encode(book) if book else None
    except db.DraaiboekError as error:
        _set_error("step_refused", error.problems)
        return
    session.show_view(dataclasses.replace(view or _current(), draaiboek=encoded, stap=stap if book else None))


def _add_step() -> None:
    current = _current()
    book = book_of(current) or db.Draaiboek()
    try:
        book = book.add(db.step_from_state(current, st.session_state.get("wm_new_title", ""),
                                           st.session_state.get("wm_new_note", "")))
    except db.DraaiboekError as error:
        _set_error("step_refused", error.problems)
        return
    st.session_state["wm_new_title"] = ""
    st.session_state["wm_new_note"] = ""
    _save(book, len(book))


def _move(index: int, offset: int) -> None:
    current = _current()
    book = book_of(current)
    if not book:
        return
    moved = book.move(index, offset)
    stap = current.stap
    if stap:  # the step shown keeps being the step shown
        old = list(range(len(book)))
        old.insert(min(max(index + offset, 0), len(book) - 1), old.pop(index))
        stap = old.index(stap - 1) + 1
    _save(moved, stap)


def _remove(index: int) -> None:
    current = _current()
    book = book_of(current)
    if not book:
        return
    stap = current.stap
    if stap == index + 1:
        stap = None
    elif stap and stap > index + 1:
        stap -= 1
    _save(book.remove(index), stap)


def _update(index: int) -> None:
    current = _current()
    book = book_of(current)
    if not book:
        return
    old = book.steps[index]
    new = db.step_from_state(current, old.title, old.note)
    steps = list(book.steps)
    steps[index] = new
    _save(db.Draaiboek(tuple(steps)), index + 1)


def _load_file() -> None:
    upload = st.session_state.get("wm_upload")
    if upload is None:
        return
    st.session_state.pop(_ERROR, None)
    try:
        book = db.from_json(upload.getvalue())
        db.encode(book)  # it must fit in a link, as every draaiboek in wijkmap does
    except db.DraaiboekError as error:
        _set_error("draaiboek_refused", [f"{upload.name}: {problem}" for problem in error.problems])
        return
    _save(book, 1, view=book.steps[0].state(_current()))
