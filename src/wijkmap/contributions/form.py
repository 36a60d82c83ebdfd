"""The widgets of an example, shared by the page that sends one in and the moderation
page that edits one.

Every widget has a key `prefix + field`, so what a person typed stays in the session
when a check fails, and `raw_values` reads a whole form back from the session state
(in a callback, before the page is drawn again); `keep` holds a form that is not drawn
in every run (moderation). Problems found by contributions.check_* are shown under the
widget of their field.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from wijkmap.contributions import checks, clients
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t

BUURT, COORDINATES = "buurt", "coordinaten"
# Widget defaults: what a field is reset to after a successful send.
_EMPTY: dict[str, object] = {
    "naam": "", "omschrijving": "", "soort": None, "strategie": "onbekend", "actortype": [], "doelgroep": [],
    "tarief": None, "tijdelijk": "", "geopend": "", "gesloten": "", "url": "",
    "locatie": BUURT, "gemeente": None, "buurtcode": None, "lat": "", "lon": "",
    "contact_naam": "", "contact_email": "", "toestemming": False, checks.HONEYPOT: "",
}  # fmt: skip


def _connection() -> tuple[str | None, Callable[[str], Sequence[str]]]:
    """This session's peer address (None from this machine) and its request headers.
    Only text counts: without a browser connection (AppTest) Streamlit hands out mocks."""
    peer, headers = st.context.ip_address, st.context.headers

    def values(name: str) -> list[str]:
        return [value for value in headers.get_all(name) if isinstance(value, str)]

    return (peer if isinstance(peer, str) else None), values


def client_key() -> str:
    """Who this visitor is for the per-address limits: the hashed client address
    (clients.client_address and client_key; the proxy header from the environment)."""
    peer, headers = _connection()
    return clients.client_key(clients.client_address(peer, headers, os.environ))


def show_problem(problems: Mapping[str, str], *fields: str) -> None:
    """The message for the first of `fields` that has one (our own text, never user input)."""
    for field in fields:
        if field in problems:
            st.error(problems[field])
            return


def raw_values(prefix: str, state: Mapping) -> dict:
    """What a form holds, as checks.check_submission takes it."""
    raw = {field: state.get(prefix + field) for field in _EMPTY}
    if raw["locatie"] == COORDINATES:
        raw["buurtcode"] = ""
    else:
        raw["lat"] = raw["lon"] = ""
    return raw


def reset(prefix: str, state) -> None:
    """Empty the form (after a send): each widget falls back to its default."""
    for field in _EMPTY:
        state.pop(prefix + field, None)


def fill(prefix: str, state, values: Mapping) -> None:
    """Put a stored example into the widgets (to edit it)."""
    for field, value in values.items():
        if field == "gemeentecode":
            state[prefix + "gemeente"] = value
        elif field in _EMPTY:
            state[prefix + field] = value or _EMPTY[field]
    state[prefix + "locatie"] = BUURT if values.get("buurtcode") else COORDINATES


def keep(prefix: str, state, version: str, values: Mapping, extra: tuple[str, ...] = ()) -> None:
    """Fill a form with a stored example when `version` is new to this session; else
    put back what Streamlit dropped, so a form looked away from comes back as it was left.

    Streamlit deletes the state of every widget a run does not draw (the moderation
    page draws one submission at a time), so a copy of the form's values, unsaved edits
    included, lives under `prefix + "draft"`, a key no widget owns. `extra` names more
    widgets of the same prefix to keep. Call it before the widgets are drawn."""
    draft_key, names = prefix + "draft", (*_EMPTY, *extra)
    if state.get(prefix + "loaded") != version:  # first view, or changed by an action
        for name in names:
            state.pop(prefix + name, None)
        fill(prefix, state, values)
        state[prefix + "loaded"] = version
    else:
        for name, value in state.get(draft_key, {}).items():
            if prefix + name not in state:
                state[prefix + name] = value
    state[draft_key] = {name: state[prefix + name] for name in names if prefix + name in state}


def location(prefix: str, buurten: pd.DataFrame, gemeente_names: Mapping[str, str], lang: str,
             problems: Mapping[str, str]) -> None:  # fmt: skip
    """Where the example is: a buurt chosen via its gemeente, or latitude and longitude.

    Not inside an st.form: the buurt list follows the chosen gemeente."""
    how = st.radio(
        t("location_how", lang),
        [BUURT, COORDINATES],
        key=prefix + "locatie",
        horizontal=True,
        format_func=lambda option: t(f"location_{option}", lang),
    )
    if how == BUURT:
        codes = sorted(set(buurten["gemeentecode"]), key=lambda code: (gemeente_names.get(code, code), code))
        if st.session_state.get(prefix + "gemeente") not in codes:
            st.session_state[prefix + "gemeente"] = None
        left, right = st.columns(2)
        gemeente = left.selectbox(
            t("gemeente", lang),
            codes,
            index=None,
            key=prefix + "gemeente",
            placeholder=t("choose_placeholder", lang),
            format_func=lambda code: gemeente_names.get(code, code),
        )
        here = buurten[buurten["gemeentecode"] == gemeente].sort_values(["naam", "code"])
        names = dict(zip(here["code"], here["naam"]))
        if st.session_state.get(prefix + "buurtcode") not in names:
            st.session_state[prefix + "buurtcode"] = None
        right.selectbox(
            t("buurt", lang),
            list(names),
            index=None,
            key=prefix + "buurtcode",
            disabled=gemeente is None,
            placeholder=t("choose_buurt_first" if gemeente is None else "choose_placeholder", lang),
            format_func=lambda code: f"{names[code]} ({code})",
        )
        show_problem(problems, "locatie")
    else:
        st.caption(t("coordinates_help", lang))
        left, right = st.columns(2)
        with left:
            st.text_input(t("latitude", lang), key=prefix + "lat", placeholder="52,0907", max_chars=30)
            show_problem(problems, "lat", "locatie")
        with right:
            st.text_input(t("longitude", lang), key=prefix + "lon", placeholder="5,1214", max_chars=30)
            show_problem(problems, "lon")


def example(prefix: str, lang: str, problems: Mapping[str, str], name_label: str = "field_naam") -> None:
    """The fields of the example itself (may sit inside an st.form); `name_label` is the
    text key of the name's label (Beheer edits a record, not an example)."""
    limits = checks.LIMITS
    st.text_input(t(name_label, lang), key=prefix + "naam", max_chars=limits["naam"],
                  placeholder=t("field_naam_placeholder", lang))  # fmt: skip
    show_problem(problems, "naam")
    st.text_area(
        t("field_omschrijving", lang),
        key=prefix + "omschrijving",
        max_chars=limits["omschrijving"],
        height=150,
        placeholder=t("field_omschrijving_placeholder", lang),
        help=t("field_omschrijving_help", lang),
    )
    show_problem(problems, "omschrijving")
    left, right = st.columns(2)
    with left:
        st.selectbox(
            t("kind", lang),
            list(vocab.SOORTEN),
            index=None,
            key=prefix + "soort",
            placeholder=t("choose_placeholder", lang),
            format_func=lambda code: f"{vocab.label('soort', code, lang)} · "
            f"{vocab.label('categorie', vocab.category_of(code), lang)}",
        )
        show_problem(problems, "soort")
    with right:
        st.session_state.setdefault(prefix + "strategie", _EMPTY["strategie"])  # not index=: see fill()
        st.radio(
            t("strategy", lang),
            list(vocab.STRATEGIES),
            key=prefix + "strategie",
            horizontal=True,
            format_func=lambda code: vocab.label("strategie", code, lang),
            help=t("strategy_help", lang),
        )
        show_problem(problems, "strategie")
    left, right = st.columns(2)
    with left:
        st.multiselect(
            t("actortype", lang),
            list(vocab.ACTORTYPES),
            key=prefix + "actortype",
            format_func=lambda code: vocab.label("actortype", code, lang),
            placeholder=t("choose_several", lang),
            help=t("field_actortype_help", lang),
        )
        show_problem(problems, "actortype")
    with right:
        st.multiselect(
            t("target_groups", lang),
            list(vocab.DOELGROEPEN),
            key=prefix + "doelgroep",
            format_func=lambda code: vocab.label("doelgroep", code, lang),
            placeholder=t("choose_several", lang),
        )
        show_problem(problems, "doelgroep")
    left, middle, right = st.columns([1.2, 1.3, 1])
    with left:
        st.selectbox(
            t("fee", lang),
            list(vocab.TARIEVEN),
            index=None,
            key=prefix + "tarief",
            placeholder=t("unknown", lang),
            format_func=lambda code: vocab.label("tarief", code, lang),
        )
        show_problem(problems, "tarief")
    with middle:
        st.radio(
            t("temporary", lang),
            ["", "ja", "nee"],
            key=prefix + "tijdelijk",
            horizontal=True,
            format_func=lambda v: {"": t("unknown", lang), "ja": t("yes", lang), "nee": t("no", lang)}[v],
        )
        show_problem(problems, "tijdelijk")
    left, right = st.columns(2)
    with left:
        st.text_input(t("field_geopend", lang), key=prefix + "geopend", max_chars=limits["geopend"], placeholder="2019")
        show_problem(problems, "geopend")
    with right:
        st.text_input(t("field_gesloten", lang), key=prefix + "gesloten", max_chars=limits["gesloten"],
                      placeholder=t("field_gesloten_placeholder", lang))  # fmt: skip
        show_problem(problems, "gesloten")
    st.text_input(t("website", lang), key=prefix + "url", max_chars=limits["url"], placeholder="https://")
    show_problem(problems, "url")


def contact(prefix: str, lang: str, problems: Mapping[str, str]) -> None:
    """Who sent it (for the moderators only), consent, and the field bots fill in."""
    st.caption(t("contact_help", lang))
    left, right = st.columns(2)
    with left:
        st.text_input(t("contact_naam", lang), key=prefix + "contact_naam", max_chars=checks.LIMITS["contact_naam"],
                      autocomplete="name")  # fmt: skip
        show_problem(problems, "contact_naam")
    with right:
        st.text_input(t("contact_email", lang), key=prefix + "contact_email",
                      max_chars=checks.LIMITS["contact_email"], autocomplete="email",
                      placeholder="naam@voorbeeld.nl")  # fmt: skip
        show_problem(problems, "contact_email")
    st.checkbox(t("consent", lang), key=prefix + "toestemming")
    show_problem(problems, "toestemming")
    # The honeypot: hidden from people (and from screen readers and the tab order, by
    # display:none); a bot that fills in every field gives itself away.
    st.html(f"<style>.st-key-{prefix}{checks.HONEYPOT} {{ display: none !important; }}</style>")
    st.text_input(t("honeypot", lang), key=prefix + checks.HONEYPOT, autocomplete="off")
