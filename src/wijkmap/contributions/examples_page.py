"""Voorbeelden: the publication of approved contributions, one card each, printable."""

import streamlit as st

from wijkmap.contributions import publication
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.shell import cache, session


def _filter_note(gemeente, strategie, actortype, soort, gemeente_names, lang) -> str:
    """What the downloaded file was filtered on, so a printout says what it leaves out."""
    chosen = [gemeente_names.get(code, code) for code in gemeente]
    for vocabulary, codes in (("strategie", strategie), ("actortype", actortype), ("soort", soort)):
        chosen += [vocab.label(vocabulary, code, lang) for code in codes]
    return f"{t('examples_filtered_by', lang)} {', '.join(chosen)}." if chosen else ""


def page() -> None:
    lang = session.current_language()
    st.title(t("examples_title", lang))
    records = cache.records()
    st.write(t("examples_intro", lang))
    examples = publication.examples(records)
    if examples.empty:
        st.info(t("examples_none", lang))
        st.page_link("app_pages/bijdragen.py", label=t("send_in_link", lang))
        return

    gemeente_names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    buurten = cache.buurt_names()
    buurt_names = dict(zip(buurten["code"], buurten["naam"]))
    present = sorted(set(examples["gemeentecode"]), key=lambda code: gemeente_names.get(code, code))
    with st.sidebar:
        st.markdown(f"**{t('filters', lang)}**")
        gemeente = st.multiselect(
            t("gemeente", lang),
            present,
            format_func=lambda code: gemeente_names.get(code, code),
            key="vb_gemeente",
            placeholder=t("all", lang),
        )
        strategie = st.pills(
            t("strategy", lang),
            ["bonding", "bridging", "beide"],
            selection_mode="multi",
            format_func=lambda code: vocab.label("strategie", code, lang),
            key="vb_strategie",
            help=t("strategy_help", lang),
        )
        actortype = st.multiselect(
            t("actortype", lang),
            list(vocab.ACTORTYPES),
            format_func=lambda c: vocab.label("actortype", c, lang),
            key="vb_actortype",
            placeholder=t("all", lang),
        )
        soort = st.multiselect(
            t("kind", lang),
            list(vocab.SOORTEN),
            format_func=lambda c: vocab.label("soort", c, lang),
            key="vb_soort",
            placeholder=t("all", lang),
        )
    shown = publication.filter_examples(examples, gemeente, strategie, actortype, soort)
    cards = publication.cards(shown, buurt_names, gemeente_names, lang)

    st.html(f"<style>{publication.CARD_CSS}{publication.PRINT_CSS}</style>")
    with st.container(key="voorbeelden-actions"):
        st.caption(t("examples_print_hint", lang))
        left, right = st.columns([3, 2])
        left.markdown(f"**{t('examples_count', lang).format(shown=len(shown), total=len(examples))}**")
        right.download_button(
            t("examples_download", lang),
            data=publication.document_html(
                cards, lang, _filter_note(gemeente, strategie, actortype, soort, gemeente_names, lang)
            ).encode("utf-8"),
            file_name="wijkmap-voorbeelden.html",
            mime="text/html",
            key="vb_download",
        )
    if not cards:
        st.info(t("examples_none_filtered", lang))
        return
    st.html(publication.cards_block(cards, lang))
