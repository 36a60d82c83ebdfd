"""Streamlit pieces that more than one page draws: the records table with its
downloads, the downloads of figures per area, and the link that reopens a view."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from wijkmap import config
from wijkmap.core import view as view_state, vocabulary as vocab
from wijkmap.core.i18n import format_value, t
from wijkmap.core.records import sample_mask, split_list
from wijkmap.data import export, export_areas, export_hsds
from wijkmap.shell import session


def opened_as_first_asked(key: str, asked: bool) -> bool:
    """The `expanded` of the expander `key` on every run of this session: what its first
    run asked (open when a link sets what is inside). Streamlit (1.67) draws an expander
    whose `expanded` changed from one run to the next as closed with its content still on
    screen, but inert: after a filter was switched off and on again, a click on the pill
    under the pointer did nothing."""
    return st.session_state.setdefault(f"_expander_opened_{key}", asked)


def area_picker(names: dict[str, str], selected: str | None, select, lang: str, map_key: str) -> None:
    """The areas on the map `map_key` as a list to choose from: the keyboard's and a
    screen reader's way to an area (type to search, Enter selects), the same choice as a
    click on the map. `names` maps code to name; `select(code)` is the view the choice
    asks for (code None: no area selected)."""
    codes = sorted(names, key=lambda code: (names[code].casefold(), code))
    widget = f"_area_picker_{map_key}"
    # Set each run, so the list follows a click on the map and a link.
    st.session_state[widget] = selected if selected in names else None

    def chosen() -> None:
        code = st.session_state[widget]
        if session.is_late("gebied", code):  # the list as it was before a click on the map
            return
        session.show_view(select(code), chosen_in_browser=True)

    st.selectbox(
        t("area_picker", lang),
        codes,
        format_func=lambda code: f"{names[code]} ({code})",
        index=None,
        key=widget,
        placeholder=t("area_picker_placeholder", lang),
        help=t("area_picker_help", lang),
        on_change=chosen,
    )


def records_frame(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The records as people read them: labels instead of codes, and the sample marked.

    Streamlit's table shows cell text as text, never as HTML, so user text is safe."""
    return pd.DataFrame(
        {
            t("col_name", lang): records["naam"],
            t("col_kind", lang): [vocab.label("soort", code, lang) for code in records["soort"]],
            t("col_strategy", lang): [vocab.label("strategie", code, lang) for code in records["strategie"]],
            t("col_actors", lang): [
                vocab.labels("actortype", split_list(codes), lang) for codes in records["actortype"]
            ],
            t("col_opened", lang): records["geopend"],
            t("col_closed", lang): records["gesloten"],
            t("col_buurt", lang): records["buurtcode"],
            t("col_source", lang): records["bron"],
            t("col_sample", lang): [t("yes", lang) if sample else "" for sample in sample_mask(records)],
        }
    )


def records_table(records: pd.DataFrame, lang: str, key: str, downloads: bool = True) -> None:
    """The records as a table (the first config.TABLE_MAX_ROWS, saying so), and with
    `downloads` the buttons that export all of them."""
    first = records.iloc[: config.TABLE_MAX_ROWS]
    st.dataframe(records_frame(first, lang), hide_index=True, width="stretch", height=320 if downloads else 240)
    if len(first) < len(records):
        st.caption(
            t("table_first_rows", lang).format(
                getoond=format_value(len(first), "aantal", lang), totaal=format_value(len(records), "aantal", lang)
            )
        )
    if not downloads:
        return
    left, right, hsds, _ = st.columns([1, 1, 1, 2])
    for column, fmt in ((left, "csv"), (right, "geojson")):
        extension, media_type = export.FORMATS[fmt]
        column.download_button(
            t(f"download_{fmt}", lang),
            # Made when clicked: building both files on every rerun would cost 40-500 ms.
            data=lambda fmt=fmt: export.export_records(records, fmt),
            on_click="ignore",
            file_name=f"wijkmap-voorzieningen.{extension}",
            mime=media_type,
            key=f"{key}_{fmt}",
        )
    # What is shown is what goes out: the fictional sample too, marked in every service.
    hsds.download_button(
        t("download_hsds", lang),
        data=lambda: export_hsds.hsds_zip(records),
        on_click="ignore",
        file_name="wijkmap-hsds.zip",
        mime="application/zip",
        key=f"{key}_hsds",
        help=t("download_hsds_help", lang),
    )


def areas_downloads(make_table, catalogue: pd.DataFrame, lang: str, key: str, file_stem: str, boundaries=None) -> None:
    """CSV, Excel and (given `boundaries()`: the map's layer, code + geometry) GeoPackage
    downloads of a figures-per-area table (export_areas.area_table), made by
    `make_table()` only when a button is clicked. Each holds the figures' sources (bron)."""
    formats = ("csv", "xlsx", "gpkg") if boundaries is not None else ("csv", "xlsx")

    def make(fmt: str) -> bytes:
        table = make_table()
        if fmt == "gpkg":
            return export_areas.write_areas(table, fmt, boundaries=boundaries())
        return export_areas.write_areas(table, fmt, legend=export_areas.indicator_legend(catalogue, table))

    format_downloads(make, formats, "download_areas", lang, key, file_stem)


def format_downloads(make, formats, label: str, lang: str, key: str, file_stem: str, widths=(1, 1, 1, 2)) -> None:
    """One download button a format (of export_areas.AREA_FORMATS: csv, xlsx, gpkg) in a
    row of columns (`widths`), each labelled t(f"{label}_{fmt}") and saved as
    `file_stem`.<extension>; the file is `make(fmt)`, made only when its button is clicked.
    Every table download row (areas, ranking, comparison) is drawn here."""
    for column, fmt in zip(st.columns(list(widths)), formats):
        extension, media_type = export_areas.AREA_FORMATS[fmt]
        column.download_button(
            t(f"{label}_{fmt}", lang),
            data=lambda fmt=fmt: make(fmt),
            on_click="ignore",
            file_name=f"{file_stem}.{extension}",
            mime=media_type,
            key=f"{key}_{fmt}",
        )


def share_url(state: view_state.ViewState) -> str:
    """The full address of this view, for a colleague's browser."""
    query = urlencode(view_state.to_query(state))
    try:
        parts = urlsplit(st.context.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    except Exception:  # not running in a browser session (tests, bare mode)
        return f"?{query}"
