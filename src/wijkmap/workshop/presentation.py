"""Workshop mode on the map page (Streamlit): presentation mode and the draaiboek.

Presentation mode is a setting of the view (`presentatie` in the URL): the page hides
the sidebar and its header with static CSS, draws the map over the whole width and
height of the screen and draws type, symbols and the legend large.

The draaiboek (see draaiboek.py) travels in the URL too (`draaiboek`, with `stap` for
the step shown), so a reload or a link on another laptop reopens the same sequence at
the same step. Every change to it, and every step shown, goes through
session.show_view: the URL is set to the new view and the widgets follow it on the
next run, exactly as for a pasted link.

Keyboard: `keyboard()` puts a small script (map/static/workshop-keys.js) in the page
(st.html, same document) that listens for ArrowLeft/ArrowRight and PageUp/PageDown (what
a presenter's clicker sends) and clicks the ◀/▶ buttons; it is installed once per page,
however often it is drawn, and also listens inside the map's frame once focus went there.
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
from wijkmap.map.assets import static_text
from wijkmap.shell import cache, session, widgets
from wijkmap.shell.text import literal
from wijkmap.workshop import draaiboek as db

PREV, NEXT, EXIT = "wm_step_prev", "wm_step_next", "wm_presentation_exit"
_ERROR = "_wm_draaiboek_error"  # (heading key, problems, beside_editor): shown until the next draaiboek action


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
        _set_error(
            "draaiboek_link_refused",
            [
                f"De link met het draaiboek is te lang (hoogstens {db.MAX_LINK_CHARS} tekens) of bevat tekens die niet "
                "in een draaiboek horen (is de link volledig gekopieerd?)."
            ],
        )
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


def _set_error(heading: str, problems: list[str], beside_editor: bool = False) -> None:
    """Keep a refusal to show: above the map for a link, or `beside_editor` for what
    the person just did in the draaiboek editor, where their eyes are."""
    st.session_state[_ERROR] = (heading, list(problems), beside_editor)


def _show_error(lang: str, beside_editor: bool) -> None:
    error = st.session_state.get(_ERROR)
    if error and error[2] == beside_editor:
        heading, problems, _ = error
        st.error(t(heading, lang) + "\n\n" + "\n".join(f"- {literal(p)}" for p in problems))
        st.button(
            t("message_close", lang),
            key=f"wm_close_message_{int(beside_editor)}",
            on_click=st.session_state.pop,
            args=(_ERROR, None),
        )


def messages(lang: str) -> None:
    """A draaiboek (file or link) or step that was refused, with every problem.

    Drawn in a container that is always there, so the map below keeps its place in the
    page (a map that moves in the page is drawn anew)."""
    with st.container(key="wm_messages"):
        _show_error(lang, beside_editor=False)


# --- sidebar ------------------------------------------------------------------------------


def sidebar(state: ViewState, lang: str) -> ViewState:
    """The presentation switch (and a quick way to the high-contrast palette).

    In presentation mode the switch is not drawn (the sidebar is hidden; the way out is
    the page's button): a switch the browser keeps would send its old value "on" with
    every late message, and one sent after the way out would switch presentation back on."""
    with st.sidebar:
        st.markdown(f"**{t('workshop', lang)}**")
        on = state.presentatie or st.toggle(
            t("presentation_mode", lang), key="view_presentatie", help=t("presentation_help", lang)
        )
        st.button(
            t("contrast_palette", lang),
            key="wm_contrast",
            help=t("contrast_palette_help", lang),
            on_click=session.set_value,
            args=("palet", "contrast"),
            disabled=state.palet == "contrast",
        )
    return dataclasses.replace(state, presentatie=bool(on))


# --- presentation ---------------------------------------------------------------------------


def page_css(state: ViewState) -> None:
    """The caption's and step bar's CSS, and in presentation mode the CSS that hides the
    sidebar and makes the map fill the screen (map/static/workshop-*.css: only our own,
    static CSS, no user text)."""
    sheets = ["workshop-page.css"] + (["workshop-presentation.css"] if state.presentatie else [])
    st.html("".join(f"<style>\n{static_text(name)}</style>" for name in sheets))


def step_bar(
    state: ViewState,
    book: db.Draaiboek | None,
    lang: str,
    heading: str,
    missing: list[str],
    handout: Callable[[], str] | None = None,
    handout_name: str = "wijkmap.html",
) -> None:
    """◀ "Stap 2 van 5" with the step's title and note ▶, and (presenting) the way out.

    `heading` is the caption when no step is shown (the gemeente); `missing` says what
    the step refers to that the data no longer holds. The container is always there (the
    map below keeps its place in the page when the first step is added)."""
    with st.container(key="wm_stepbar"):
        if not book and not state.presentatie:
            return
        widths = (
            ([1.1] if book else []) + [6.2] + ([1.1] if book else []) + [1.5] + ([1.5] if state.presentatie else [])
        )
        columns = list(st.columns(widths, vertical_alignment="center"))
        left, right = (columns.pop(0), columns.pop(1)) if book else (None, None)
        middle, end, *out = columns
        number = state.stap
        if book:
            left.button(
                t("step_prev", lang),
                key=PREV,
                width="stretch",
                disabled=not number or number <= 1,
                on_click=_go_to,
                args=((number or 2) - 1,),
            )
            right.button(
                t("step_next" if number else "step_start", lang),
                key=NEXT,
                width="stretch",
                disabled=bool(number) and number >= len(book),
                on_click=_go_to,
                args=((number or 0) + 1,),
            )
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
            end.download_button(
                t("handout", lang),
                data=handout,
                file_name=handout_name,
                mime="text/html",
                key="wm_handout",
                help=t("handout_help", lang),
                width="stretch",
                on_click="ignore",
            )
        if out:
            # Through the URL, like a step: a late rerun from the browser that still carries
            # the hidden toggle's old value cannot switch presentation back on.
            out[0].button(
                t("presentation_exit", lang),
                key=EXIT,
                on_click=session.show_view,
                args=(dataclasses.replace(state, presentatie=False),),
                width="stretch",
            )
        if book:
            keyboard()


def missing_for_step(
    state: ViewState,
    book: db.Draaiboek | None,
    gemeenten: dict[str, str],
    catalogue: pd.DataFrame,
    records: pd.DataFrame,
    area_codes,
) -> list[str]:
    """What the step shown refers to that the data no longer holds (empty: all there).

    `gemeenten` maps code to name, `catalogue` and `records` are the store's, and
    `area_codes` the areas the map shows."""
    if not book or not state.stap:
        return []
    saved = book.steps[state.stap - 1].state()
    known = db.Known(
        gemeenten,
        frozenset(catalogue.loc[catalogue["jaren"].fillna("") != "", "indicator"]),
        frozenset(records["bron"]),
        cache.area_codes() if saved.vergelijk else None,
    )
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


def keyboard() -> None:
    with st.container(key="wm_keys"):  # hidden (page CSS): it only carries the script
        st.html(f"<script>\n{static_text('workshop-keys.js')}</script>", unsafe_allow_javascript=True)


# --- editing the draaiboek -------------------------------------------------------------------


def editor(state: ViewState, book: db.Draaiboek | None, lang: str) -> None:
    """Add the current map as a step, reorder, update and remove steps, save, open, share."""
    with st.expander(t("draaiboek", lang), expanded=widgets.opened_as_first_asked("draaiboek", bool(book))):
        st.caption(t("draaiboek_intro", lang))
        with st.form("wm_add_step", border=False, enter_to_submit=False):
            st.text_input(t("step_title", lang), key="wm_new_title", max_chars=db.MAX_TITLE)
            st.text_area(t("step_note", lang), key="wm_new_note", max_chars=db.MAX_NOTE, height=90)
            st.form_submit_button(t("add_step", lang), on_click=_add_step)
        if book:
            for index, step in enumerate(book.steps):
                _step_row(index, step, state.stap == index + 1, len(book), lang)
            left, middle, _ = st.columns([1.4, 1.2, 2])
            left.download_button(
                t("draaiboek_save", lang),
                data=db.to_json(book).encode("utf-8"),
                file_name="draaiboek.json",
                mime="application/json",
                key="wm_save",
                on_click="ignore",
            )
            middle.button(t("draaiboek_clear", lang), key="wm_clear", on_click=_save, args=(None, None))
            st.caption(t("draaiboek_link", lang))
            st.code(share_link(book, state), language=None, wrap_lines=True)
        else:
            st.caption(t("draaiboek_empty", lang))
        st.file_uploader(
            t("draaiboek_load", lang), type=["json"], key="wm_upload", on_change=_load_file, max_upload_size=1
        )
        _show_error(lang, beside_editor=True)


def _step_row(index: int, step: db.Step, current: bool, total: int, lang: str) -> None:
    number, text, up, down, show, update, remove = st.columns(
        [0.45, 5, 0.9, 0.9, 0.9, 1.1, 1.1], vertical_alignment="center"
    )
    number.markdown(f"**{'▶ ' if current else ''}{index + 1}**")
    e = html.escape
    text.html(f"<b>{e(step.title)}</b>" + (f"<br><small>{e(step.note)}</small>" if step.note else ""))
    up.button("↑", key=f"wm_up_{index}", help=t("step_up", lang), disabled=index == 0, on_click=_move, args=(index, -1))
    down.button(
        "↓",
        key=f"wm_down_{index}",
        help=t("step_down", lang),
        disabled=index == total - 1,
        on_click=_move,
        args=(index, 1),
    )
    show.button(
        t("step_show", lang), key=f"wm_show_{index}", help=t("step_show_help", lang), on_click=_go_to, args=(index + 1,)
    )
    update.button(
        t("step_update", lang),
        key=f"wm_update_{index}",
        help=t("step_update_help", lang),
        on_click=_update,
        args=(index,),
    )
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
        _set_error("step_refused", error.problems, beside_editor=True)
        return
    session.show_view(dataclasses.replace(view or _current(), draaiboek=encoded, stap=stap if book else None))


def _add_step() -> None:
    current = _current()
    book = book_of(current) or db.Draaiboek()
    try:
        book = book.add(
            db.step_from_state(
                current, st.session_state.get("wm_new_title", ""), st.session_state.get("wm_new_note", "")
            )
        )
    except db.DraaiboekError as error:
        _set_error("step_refused", error.problems, beside_editor=True)
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
        _set_error("draaiboek_refused", [f"{upload.name}: {problem}" for problem in error.problems], beside_editor=True)
        return
    _save(book, 1, view=book.steps[0].state(_current()))
