"""Kaart's Hoge nood section (council.ranking drawn): the sidebar expander "Nood en
bereik" that chooses the need profile and the category whose reach is measured, the
ranking with clickable rows and its CSV/Excel download, and the need, reach and matrix
of a selected area in its profile."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from wijkmap.config import NEED_MAX_INDICATORS, NEED_MAX_WEIGHT, REACH_DISTANCES_M
from wijkmap.core import indeling, view as view_state, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import sources_credit
from wijkmap.core.view import ViewState
from wijkmap.council import need as need_model, ranking as ranking_model, reach as reach_model
from wijkmap.shell import cache, session, widgets
from wijkmap.shell.text import literal

_SYNCED = "_nood_synced"  # the nood value the expander's widgets show
_PICKED = "nood_indicators"
_DROPPED = "_nood_dropped"  # indicators of the view's nood that the widgets left out
_ROWS = "_ranking_rows"  # bumped after a row click, so the table starts without a selection


def _weight_key(indicator: str) -> str:
    return f"nood_weight_{indicator}"


def sidebar(state: ViewState, catalogue: pd.DataFrame, lang: str) -> ViewState:
    """The expander "Nood en bereik" in the sidebar; the state with its choices.

    The need profile is one setting (nood: indicator -> weight) drawn as several widgets
    (a multiselect and a slider per indicator): they are set from the setting whenever it
    changed from outside them (a link, a draaiboek step), and write it back."""
    usable = need_model.need_indicators(catalogue)
    labels: dict[str, str] = dict(zip(usable["indicator"], usable["label_en" if lang == "en" else "label_nl"]))
    nood = st.session_state.get(session.widget_key("nood"), state.nood)
    # Another language relabels the widgets, which Streamlit then takes for new ones.
    if st.session_state.get(_SYNCED) != (lang, nood):
        st.session_state[_PICKED] = [code for code in nood if code in labels]
        # What a link asked for that cannot be in a profile: said on the page until the next link.
        st.session_state[_DROPPED] = [code for code in nood if code not in labels]
        for code, weight in nood.items():
            st.session_state[_weight_key(code)] = weight
    opened = widgets.opened_as_first_asked("need_reach", bool(state.nood or state.bereik))
    with st.sidebar, st.expander(t("need_reach", lang), expanded=opened):
        picked = st.multiselect(
            t("need_indicators", lang),
            list(labels),
            format_func=lambda code: labels.get(code, code),
            key=_PICKED,
            max_selections=NEED_MAX_INDICATORS,
            placeholder=labels.get(state.indicator, t("all", lang)),
            help=t("need_indicators_help", lang).format(n=NEED_MAX_INDICATORS),
        )
        weights = {}
        for code in picked:
            st.session_state.setdefault(_weight_key(code), 1)
            weights[code] = st.slider(
                t("need_weight", lang).format(indicator=labels[code]), 1, NEED_MAX_WEIGHT, key=_weight_key(code)
            )
        bereik = st.selectbox(
            t("reach_category", lang),
            ["", *view_state.LAYERS],
            format_func=lambda c: vocab.label("categorie", c, lang) if c else t("reach_any", lang),
            key=session.widget_key("bereik"),
        )
    if weights != {code: w for code, w in nood.items() if code in labels}:
        st.session_state.pop(_DROPPED, None)  # the person chose anew: the link's leftovers are past
    st.session_state[session.widget_key("nood")] = weights
    st.session_state[_SYNCED] = (lang, weights)
    return dataclasses.replace(state, nood=weights, bereik=bereik or None)


@dataclass(frozen=True)
class Need:
    """The ranking of a view and what the page needs to draw it."""

    frame: pd.DataFrame | None  # council.ranking; None without a need profile
    profile: need_model.NeedProfile | None
    dropped: list[str]  # indicators of the view's nood left out
    jaar: int
    sources: str  # of the figures and the provisions, for the caption and the file


@st.cache_data(show_spinner=False, max_entries=32)
def _ranking(
    version,
    layer: str,
    gemeente: str | None,
    niveau: str,
    jaar: int,
    indicators: tuple[str, ...],
    weights: tuple[float, ...],
    categorie: str | None,
    shown_digest: str,
    _shown: pd.DataFrame,
    covered: tuple[str, ...],
) -> pd.DataFrame:
    """`shown_digest` stands for `_shown` (the records to count) in the cache key:
    Streamlit hashing 100,000 ids took 0.35 s a run."""
    return ranking_model.ranking(
        cache.areas(layer, gemeente),
        cache.statistics(),
        cache.catalogue(),
        _shown,
        jaar,
        need_model.NeedProfile(list(indicators), dict(zip(indicators, weights))),
        niveau,
        covered=set(covered),
        categorie=categorie,
        located=cache.located(layer, gemeente),
        layer_jaar=indeling.layer_year(layer),
    )


def compute(
    state: ViewState,
    layer: str,
    niveau: str,
    jaar: int,
    catalogue: pd.DataFrame,
    nearby: pd.DataFrame,
    covered: Collection[str],
    lang: str,
) -> Need:
    """The ranking of this view (cached): `nearby` are the provisions the view's filters
    and layers show, in and around the gemeente; `covered` the gemeenten with known
    provisions."""
    profile, dropped = need_model.profile_for(state.nood, state.indicator, catalogue)
    dropped = list(dict.fromkeys([*st.session_state.get(_DROPPED, []), *dropped]))
    sources = "; ".join(
        part
        for part in ("CBS", t("geometry_source", lang), sources_credit(nearby, lang) if len(nearby) else "")
        if part
    )
    if profile is None:
        return Need(None, None, dropped, jaar, sources)
    frame = _ranking(
        cache.store_version(),
        layer,
        state.gemeente,
        niveau,
        jaar,
        tuple(profile.indicators),
        tuple(profile.weight(code) for code in profile.indicators),
        state.bereik,
        hashlib.sha1(pd.util.hash_pandas_object(nearby["id"], index=False).to_numpy().tobytes()).hexdigest(),
        nearby,
        tuple(sorted(covered)),
    )
    return Need(frame, profile, dropped, jaar, sources)


def section(
    need: Need,
    catalogue: pd.DataFrame,
    heading: str,
    sample: bool,
    lang: str,
    select: Callable[[str], ViewState],
    file_stem: str,
    boundaries: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """The Hoge nood list: the ranked areas with the parts of their score, rows that
    select their area on the map (`select(code)`: the view a click asks for), the notes
    that say what it is and is not, and the downloads."""
    st.markdown(f"**{t('thin_spots', lang)}**", help=t("ranking_help", lang))
    if need.dropped:
        st.warning(t("need_unknown_indicators", lang) + literal(", ".join(need.dropped)))
    if need.frame is None or need.profile is None:
        st.caption(t("no_need_indicator", lang))
        return
    frame = need.frame
    not_covered = int((frame["status"] == ranking_model.NO_PROVISION_DATA).sum())
    if not_covered == len(frame):
        st.info(t("no_thin_spots", lang).format(plaats=heading))
        st.markdown(t("ways_in", lang))
        return
    table = ranking_model.ranking_table(frame, catalogue, need.profile.indicators, lang)
    if table.empty:
        st.caption(t("ranking_none", lang))
    else:
        rows = st.session_state.setdefault(_ROWS, 0)
        event = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key=f"ranking_{rows}",
            # The rank and the name stay in view while the parts of the score scroll past
            # them in the narrow column beside the map; the name is never cut short.
            column_config={
                t("rank", lang): st.column_config.NumberColumn(width="small", pinned=True),
                t("area", lang): st.column_config.TextColumn(width=_name_width(table[t("area", lang)]), pinned=True),
                t("one_sided", lang): st.column_config.TextColumn(help=t("one_sided_help", lang)),
            },
        )
        chosen = list(event.selection.rows) if event is not None else []
        if chosen:
            st.session_state[_ROWS] = rows + 1  # the next table is a new one, with nothing selected
            session.show_view(select(str(table.index[chosen[0]])))
            st.rerun()
    years = ", ".join(
        f"{ranking_model.indicator_label(catalogue, code, lang)} {year}"
        for code, year in frame.attrs.get("jaren", {}).items()
        if year
    )
    st.caption(t("need_signal", lang))
    if years:
        st.caption(t("need_years", lang).format(jaren=literal(years)))
    gemeenten = frame.index.str.startswith("GM").all()
    st.caption(t("reach_not_for_gemeenten" if gemeenten else "reach_note", lang))
    if not_covered:
        st.caption(
            t("ranking_not_covered_one" if not_covered == 1 else "ranking_not_covered", lang).format(n=not_covered)
        )
    if sample:
        st.caption("⚠️ " + t("ranking_sample", lang))
    downloads(need, catalogue, sample, lang, file_stem, boundaries)


def downloads(need: Need, catalogue: pd.DataFrame, sample: bool, lang: str, file_stem: str, boundaries=None) -> None:
    """CSV, Excel and (given `boundaries`, a function that returns the areas' outlines)
    GeoPackage of the whole ranking (every area, with its status), made when clicked."""
    if need.frame is None or need.profile is None:
        return
    frame, profile = need.frame, need.profile
    formats = ["csv", "xlsx"] + (["gpkg"] if boundaries is not None else [])
    st.caption(t("download_ranking", lang))

    def make(fmt: str) -> bytes:
        table = ranking_model.export_table(frame, need.jaar, need.sources, sample)
        legend = ranking_model.export_legend(table, catalogue, profile, frame.attrs.get("jaren", {}))
        outlines = boundaries() if fmt == "gpkg" and boundaries is not None else None
        return ranking_model.export_bytes(table, fmt, legend, outlines)

    widgets.format_downloads(make, formats, "download_ranking", lang, "ranking", file_stem, [1] * len(formats))


def area_section(need: Need, code: str, catalogue: pd.DataFrame, lang: str) -> None:
    """The need, reach and matrix of the selected area, for its profile."""
    if need.frame is None or need.profile is None or code not in need.frame.index:
        return
    row = need.frame.loc[code].to_dict()
    st.markdown(f"**{t('area_need', lang)}**", help=t("need_signal", lang))
    status = str(row["status"])
    rang: int | str = "" if pd.isna(row["rang"]) else int(row["rang"])
    st.caption(f"{t('area_status', lang)}: {t(f'status_{status}', lang).format(rang=rang)}")
    parts = [
        {
            t("indicator", lang): ranking_model.indicator_label(catalogue, indicator, lang),
            "z": ranking_model.z_text(row[indicator], lang),
            t("weight", lang): f"{need.profile.weight(indicator):g}",
        }
        for indicator in need.profile.indicators
    ]
    score = ranking_model.z_text(row[need_model.SCORE], lang)
    parts.append({t("indicator", lang): t("need_score", lang), "z": score, t("weight", lang): ""})
    st.dataframe(pd.DataFrame(parts), hide_index=True, width="stretch")
    if status == ranking_model.NO_PROVISION_DATA:
        return
    first, second = REACH_DISTANCES_M[0], REACH_DISTANCES_M[-1]
    groups: list[tuple[str | None, str, float]] = [(None, t("everyone", lang), row[reach_model.INWONERS])]
    groups += [
        (group, vocab.label("doelgroep", group, lang), row[group]) for group in reach_model.GROUPS if group in row
    ]
    reach_rows = [
        {
            t("reach_group", lang): label,
            t("reach_residents", lang): "–" if pd.isna(size) else f"{int(size):,}".replace(",", "."),
            t("reach_within", lang).format(afstand=ranking_model.distance_text(first, lang)): ranking_model.share_text(
                row[reach_model.share_column(first, group)], lang
            ),
            t("reach_within", lang).format(afstand=ranking_model.distance_text(second, lang)): ranking_model.share_text(
                row[reach_model.share_column(second, group)], lang
            ),
        }
        for group, label, size in groups
    ]
    st.dataframe(pd.DataFrame(reach_rows), hide_index=True, width="stretch")
    st.markdown(f"**{t('matrix_title', lang)}**")
    formalities = ("formeel", "informeel", "tussenvorm")
    matrix = pd.DataFrame(
        {
            vocab.label("formaliteit", formaliteit, lang): [
                int(row[f"{strategie}_{formaliteit}"]) for strategie in ("bonding", "bridging")
            ]
            for formaliteit in formalities
        },
        index=[vocab.label("strategie", s, lang) for s in ("bonding", "bridging")],
    )
    st.dataframe(matrix, width="stretch")
    st.caption(t("strategy_help", lang))
    if bool(row[ranking_model.ONE_SIDED]):
        st.warning(t("one_sided_here", lang))


def _name_width(names: pd.Series) -> int:
    """Pixels for the longest name in the table's font (about 7.5 px a character)."""
    return max(90, min(260, round(7.5 * max((len(str(name)) for name in names), default=0)) + 24))
