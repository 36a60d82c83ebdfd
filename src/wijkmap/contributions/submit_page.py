"""Voorbeeld insturen: a practitioner sends in an example; it waits for moderation."""

import time

import streamlit as st

from wijkmap.contributions import checks, form, inbox
from wijkmap.core.i18n import t
from wijkmap.shell import cache, session

PREFIX = "bijdrage_"
PROBLEMS = "_bijdrage_problems"
NOTICE = "_bijdrage_notice"
SENT = "_bijdrage_sent"  # times this session sent something (rate limit; per address: in the queue)


def _send() -> None:
    """The form's callback: runs before the page is drawn, with every value committed."""
    lang = session.current_language()
    state = st.session_state
    raw = form.raw_values(PREFIX, state)
    history = state.setdefault(SENT, [])
    now = time.time()
    wait = checks.wait_before_next(history, now)
    if wait > 0:
        state[NOTICE] = ("warning", t("rate_limited", lang).format(seconds=int(wait) + 1))
        return
    if checks.is_bot(raw):  # looks accepted, stores nothing
        history.append(now)
        form.reset(PREFIX, state)
        state[PROBLEMS], state[NOTICE] = {}, ("success", t("sent_thanks", lang))
        return
    submission, problems = checks.check_submission(raw, checks.StorePlaces(), lang)
    state[PROBLEMS] = {problem.field: problem.message for problem in problems}
    if problems:
        state[NOTICE] = ("error", t("form_has_problems", lang))
        return
    try:
        inbox.submit(submission, sender=form.client_key())
    except inbox.TooManyFromClient as refused:
        if refused.wait_s is None:
            state[NOTICE] = ("warning", t("client_queue_full", lang).format(count=refused.count))
        else:
            minutes = int(refused.wait_s // 60) + 1
            state[NOTICE] = ("warning", t("client_rate_limited", lang).format(count=refused.count, minutes=minutes))
        return
    except inbox.QueueFull as full:
        state[NOTICE] = ("warning", t("queue_full", lang).format(count=full.args[0]))
        return
    history.append(now)
    form.reset(PREFIX, state)
    state[NOTICE] = ("success", t("sent_thanks", lang) + " " + t("send_another", lang))


def page() -> None:
    lang = session.current_language()
    st.title(t("page_contribute", lang))
    buurten = cache.buurt_names()
    gemeente_names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    st.write(t("contribute_intro", lang))
    problems = st.session_state.get(PROBLEMS, {})
    st.header(t("step_where", lang))
    form.location(PREFIX, buurten, gemeente_names, lang, problems)
    with st.form("bijdrage", clear_on_submit=False, border=False):
        st.header(t("step_what", lang))
        form.example(PREFIX, lang, problems)
        st.header(t("step_who", lang))
        form.contact(PREFIX, lang, problems)
        st.form_submit_button(t("send", lang), type="primary", on_click=_send)
    # Right under the button, where the person is looking after a click.
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, message = notice
        getattr(st, kind)(message)
