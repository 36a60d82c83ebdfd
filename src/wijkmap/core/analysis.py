"""Pure functions on (Geo)DataFrames: placing records in areas, counts, change, indices.

Nothing here reads files or knows about Streamlit or folium; callers pass frames in.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkmap.config import LOCATE_TOLERANCE_M, RD_NEW
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import holds_any, per_value, sample_mask, split_list


def locate(points: gpd.GeoSeries, buurten: gpd.GeoDataFrame, tolerance_m: float = LOCATE_TOLERANCE_M) -> pd.DataFrame:
    """The buurtcode, wijkcode and gemeentecode of each point, by point-in-polygon.

    `buurten` is a buurt layer (code, wijkcode, gemeentecode, geometry). A point that
    lies just outside every buurt (the 2015 map has water cut out, so a point on a quay
    can miss) takes the nearest buurt within `tolerance_m`; farther off it gets None, which
    callers treat as outside the Netherlands. The result has the index of `points`.
    """
    columns = ["buurtcode", "wijkcode", "gemeentecode"]
    target = (
        buurten[["code", "wijkcode", "gemeentecode", "geometry"]].rename(columns={"code": "buurtcode"}).to_crs(RD_NEW)
    )
    frame = gpd.GeoDataFrame(geometry=points.to_crs(RD_NEW))
    joined = gpd.sjoin_nearest(frame, target, how="left", max_distance=tolerance_m)
    joined = joined[~joined.index.duplicated(keep="first")]  # a point on a shared edge
    return joined.reindex(points.index)[columns].astype(object).where(lambda f: f.notna(), None)


def anchor_point(buurten: gpd.GeoDataFrame, buurtcode: str):
    """A point inside the buurt (for records that give only a buurtcode), or None."""
    match = buurten.loc[buurten["code"] == buurtcode, "geometry"]
    return None if match.empty else match.iloc[0].representative_point()


# --- filtering records ----------------------------------------------------------------


def existed_in(records: pd.DataFrame, year: int) -> pd.Series:
    """Whether each record existed at some time in `year`.

    An unknown opening date counts as 'already there' (most such records are older than
    the list they come from); a record closed in `year` still existed in it."""
    opened = per_value(records["geopend"], _year_of).astype(float)
    closed = per_value(records["gesloten"], _year_of).astype(float)
    return (opened.isna() | (opened <= year)) & (closed.isna() | (closed >= year))


def _year_of(date) -> float:
    """The year an ISO date ('2019', '2019-03-01') begins with; NaN for none."""
    try:
        return float(date[:4])
    except (TypeError, ValueError):
        return math.nan


def filter_records(records: pd.DataFrame, **filters) -> pd.DataFrame:
    """The records that pass every given filter (see filter_mask)."""
    return records[filter_mask(records, **filters)]


def filter_mask(
    records: pd.DataFrame,
    *,
    categorie=(),
    soort=(),
    strategie=(),
    formaliteit=(),
    actortype=(),
    doelgroep=(),
    tarief=(),
    tijdelijk: str | None = None,
    peiljaar: int | None = None,
    voorbeeld: bool = True,
    bron=(),
) -> pd.Series:
    """Whether each record passes every given filter; an empty filter passes everything.

    Within one filter any listed value matches (OR); across filters all must (AND).
    A record with strategie 'beide' matches a filter on bonding or on bridging, since
    it does both. A formaliteit matches when any of the record's actors has it."""
    keep = pd.Series(True, index=records.index)
    if categorie:
        keep &= per_value(records["soort"], vocab.category_of).isin(categorie)
    if soort:
        keep &= records["soort"].isin(soort)
    if strategie:
        wanted = set(strategie)
        if wanted & {"bonding", "bridging"}:
            wanted.add("beide")
        keep &= records["strategie"].isin(wanted)
    if formaliteit:
        keep &= holds_any(records["actortype"], [code for f in formaliteit for code in vocab.actortypes_with(f)])
    if actortype:
        keep &= holds_any(records["actortype"], actortype)
    if doelgroep:
        keep &= holds_any(records["doelgroep"], doelgroep)
    if tarief:
        keep &= records["tarief"].isin(tarief)
    if tijdelijk:
        keep &= records["tijdelijk"] == tijdelijk
    if peiljaar is not None:
        keep &= existed_in(records, peiljaar)
    if not voorbeeld:
        keep &= ~sample_mask(records)
    if bron:
        keep &= records["bron"].isin(bron)
    return keep


# --- statistics on areas -------------------------------------------------------------


def view_records(records: pd.DataFrame, state, peiljaar: int | None) -> pd.DataFrame:
    """The records a view (core.view.ViewState) counts: every filter of the view, only
    its switched-on layers (none switched on: no records), and those that existed in
    `peiljaar` (None: every year). Kaart's map (explorer.model.visible_records) and the
    comparison (council.compare.records_for) both filter here."""
    if not state.lagen:
        return records.iloc[0:0]
    # One mask, one selection: each selection copies every column of 100,000 records.
    keep = filter_mask(
        records,
        categorie=state.categorie,
        soort=state.soort,
        strategie=state.strategie,
        formaliteit=state.formaliteit,
        actortype=state.actortype,
        doelgroep=state.doelgroep,
        tarief=state.tarief,
        tijdelijk=state.tijdelijk,
        peiljaar=peiljaar,
        voorbeeld=state.voorbeeld,
        bron=state.bron,
    )
    return records[keep & filter_mask(records, categorie=state.lagen)]


def indicator_values(statistics: pd.DataFrame, indicator: str, jaar: int, codes) -> pd.Series:
    """The value of `indicator` in `jaar` for each code (NaN where CBS has none)."""
    rows = statistics[(statistics["indicator"] == indicator) & (statistics["jaar"] == jaar)]
    return rows.set_index("code")["waarde"].reindex(list(codes))


# A national figure needs nearly every gemeente: else it is a few gemeenten passed off as
# the country (a figure only Utrecht has for 2023). The share is of the most gemeenten the
# store has inwoners for in any year (mergers lower the count: 393 in 2015, 342 in 2024).
NATIONAL_MIN_SHARE = 0.8
# Units whose national figure is the sum of the gemeenten's.
ADDITIVE_UNITS = frozenset({"aantal", "ha"})


def national_value(statistics: pd.DataFrame, indicator: str, jaar: int, eenheid: str) -> float | None:
    """A national figure built from the gemeenten: counts and areas add up, anything else
    is averaged weighted by inwoners (where known), since no NL total is in the sources.
    None when too few gemeenten have the figure that year (NATIONAL_MIN_SHARE)."""
    gemeenten = statistics[statistics["code"].str.startswith("GM")]
    rows = gemeenten[(gemeenten["indicator"] == indicator) & (gemeenten["jaar"] == jaar)].set_index("code")["waarde"]
    rows = rows.dropna()
    if rows.empty:
        return None
    counted = gemeenten[gemeenten["indicator"] == "inwoners"].groupby("jaar")["code"].nunique()
    if len(rows) < NATIONAL_MIN_SHARE * (counted.max() if len(counted) else len(rows)):
        return None
    if eenheid in ADDITIVE_UNITS:
        return float(rows.sum())
    weights = indicator_values(statistics, "inwoners", jaar, rows.index).fillna(0)
    if weights.sum() == 0:
        return float(rows.mean())
    return float((rows * weights).sum() / weights.sum())


def area_codes_at(records: pd.DataFrame, areas: gpd.GeoDataFrame) -> pd.Series:
    """The code of the area of `areas` (any area layer) each record lies in, by its
    position as `locate` places it, by record id; None outside them."""
    if records.empty:
        return pd.Series(dtype=object, index=pd.Index(records["id"], name="id"))
    points = gpd.GeoSeries(gpd.points_from_xy(records["lon"], records["lat"]), crs=areas.crs, index=records.index)
    return pd.Series(locate(points, areas)["buurtcode"].to_numpy(), index=pd.Index(records["id"], name="id"))


def area_at(areas: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """The code of the area of `areas` that holds the point (lat, lon), or None (a click
    outside every area). On a shared border the first in code order wins."""
    point = shapely.Point(lon, lat)
    hits = areas[areas.geometry.intersects(point)]
    return str(min(hits["code"])) if len(hits) else None


def _record_ids(records: pd.DataFrame) -> pd.Series:
    return pd.Series(records["id"] if "id" in records.columns else records.index, index=records.index)


def records_in_area(records: pd.DataFrame, code: str, located: pd.Series | None = None) -> pd.DataFrame:
    """The records located in the buurt, wijk or gemeente with this code.

    By the codes records carry; given `located` (area_codes_at: a layer other than the
    one records are placed in, whose codes they do not carry) by where they lie."""
    if located is not None:
        return records[(_record_ids(records).map(located) == code).to_numpy()]
    column = {"BU": "buurtcode", "WK": "wijkcode", "GM": "gemeentecode"}[code[:2]]
    return records[records[column] == code]


def strategy_counts(records: pd.DataFrame) -> dict[str, int]:
    """How many records bond and how many bridge ('beide' counts for both)."""
    strategie = records["strategie"]
    return {
        "bonding": int(strategie.isin(["bonding", "beide"]).sum()),
        "bridging": int(strategie.isin(["bridging", "beide"]).sum()),
        "onbekend": int((strategie == "onbekend").sum()),
    }


def counts_per_area(records: pd.DataFrame, level: str, located: pd.Series | None = None) -> pd.Series:
    """Number of records per buurtcode / wijkcode / gemeentecode; given `located`, per
    area where they lie (see records_in_area)."""
    if located is None:
        return records.groupby(f"{level}code").size()
    codes = _record_ids(records).map(located).dropna()
    return codes.groupby(codes).size()


STRATEGY_FORMALITY_COLUMNS = [
    f"{strategie}_{formaliteit}"
    for strategie in ("bonding", "bridging")
    for formaliteit in ("formeel", "informeel", "tussenvorm")
]


def _strategies(strategie: str | None) -> set[str]:
    """The strategies a record counts in: 'beide' in both, an unknown one in neither."""
    return {"bonding", "bridging"} if strategie == "beide" else {"bonding", "bridging"} & {strategie}


def _formalities(actortype: str | None) -> set[str]:
    """The formalities (formeel, informeel, tussenvorm) of a record's actors."""
    terms = (vocab.ACTORTYPES.get(code) for code in split_list(actortype))
    return {term.group for term in terms if term is not None and term.group}


def strategy_formality(records: pd.DataFrame, level: str, located: pd.Series | None = None) -> pd.DataFrame:
    """The bonding/bridging x formeel/informeel/tussenvorm counts per area.

    One row per area code of `level` ('buurt', 'wijk', 'gemeente') that holds a record
    (or, given `located`, per area where records lie, as in counts_per_area); one int
    column per STRATEGY_FORMALITY_COLUMNS. A 'beide' record counts in both strategies, a
    record whose actors have several formalities counts in each; a record of unknown
    strategy or without a known actortype counts nowhere. This is the matrix that shows
    a buurt with many formal bonding provisions and no informal bridging ones."""
    codes = records[f"{level}code"] if located is None else _record_ids(records).map(located)
    codes = pd.Series(codes.to_numpy(dtype=object), index=records.index)
    placed = (codes.notna() & codes.ne("")).to_numpy()
    # The cells of each distinct (strategie, actortype): a few hundred among 100,000
    # records, whose cells one by one took 0.3 s.
    strategie, strategies = pd.factorize(records["strategie"], use_na_sentinel=False)
    actortype, actortypes = pd.factorize(records["actortype"], use_na_sentinel=False)
    pairs, pair_codes = np.unique((strategie * len(actortypes) + actortype)[placed], return_inverse=True)
    cells = np.zeros((len(pairs), len(STRATEGY_FORMALITY_COLUMNS)), dtype=int)
    for row, pair in enumerate(pairs):
        kind, actors = strategies[pair // len(actortypes)], actortypes[pair % len(actortypes)]
        for cell in (f"{s}_{f}" for s in _strategies(kind) for f in _formalities(actors)):
            cells[row, STRATEGY_FORMALITY_COLUMNS.index(cell)] = 1
    codes = codes[placed]
    table = pd.DataFrame(cells[pair_codes], columns=STRATEGY_FORMALITY_COLUMNS, index=codes.index)
    table = table.groupby(codes.to_numpy()).sum()
    table.index.name = "code"
    return table.astype(int)


def service_areas(wijkteams: pd.DataFrame, buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One polygon per wijkteam: the union of the buurten in its werkgebied."""
    rows = [
        (naam, code)
        for naam, werkgebied in zip(wijkteams["naam"], wijkteams["werkgebied"])
        for code in split_list(werkgebied)
    ]
    if not rows:
        return gpd.GeoDataFrame({"naam": []}, geometry=[], crs=buurten.crs)
    links = pd.DataFrame(rows, columns=["naam", "code"])
    joined = buurten[["code", "geometry"]].merge(links, on="code")
    return joined.dissolve(by="naam", as_index=False)[["naam", "geometry"]]
