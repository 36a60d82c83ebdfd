"""Gegevens: what the store holds and where each part comes from."""

import streamlit as st

from wijkmap import config
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import is_sample
from wijkmap.shell import cache, session


def page() -> None:
    lang = session.current_language()
    st.title(t("page_data", lang))
    st.write(t("data_intro", lang))
    counts = cache.layer_counts()

    st.subheader(t("areas", lang))
    st.dataframe({t("layer", lang): list(counts), t("count", lang): list(counts.values())}, hide_index=True)

    st.subheader(t("indicators", lang))
    st.dataframe(cache.catalogue(), hide_index=True, width="stretch")

    st.subheader(t("records", lang))
    records = cache.records()
    st.warning(t("sample_warning", lang), icon="⚠️")
    left, right = st.columns(2)
    per_source = records.groupby("bron").size().rename(t("count", lang)).reset_index()
    per_source["bron"] = [f"{b} (fictief)" if is_sample(b) else b for b in per_source["bron"]]
    left.caption(t("per_source", lang))
    left.dataframe(per_source, hide_index=True)
    per_kind = records.groupby("soort").size().rename(t("count", lang)).reset_index()
    per_kind["soort"] = [vocab.label("soort", code, lang) for code in per_kind["soort"]]
    right.caption(t("per_kind", lang))
    right.dataframe(per_kind, hide_index=True)

    st.subheader(t("sources", lang))
    st.markdown((config.REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8"))
