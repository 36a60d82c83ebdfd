"""Change over time: what disappeared, what came back and in which form, and where.

Pure functions on the records frame (the columns of records.FIELDS); nothing here reads
files or knows about Streamlit or folium. The page and the map call these and draw.

Time
----
Dates are 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (as records.parse_date writes them);
anything unreadable counts as missing. A period [A, B] runs from 1 January of A to
31 December of B: something that closed in A closed within the period, something that
opened in A is new in it. The period works in whole years, so '2010' and '2010-11-03'
are both 2010; months only matter for telling a move from a closure (below).

- An unknown opening date counts as "already there" before A, as analysis.existed_in
  does: most such records are older than the list they come from (the Amsterdam repair
  cafés that were on the list at its first snapshot).
- An empty `gesloten` means still open.

Status of a record over [A, B]
------------------------------
Out of the period, with no status (not drawn, not counted): closed before A, or opened
after B. Every other record gets one status, checked in this order:

- ``verhuisd``: it closed in the period and a *move* successor opened by the end of B;
- ``teruggekeerd``: it closed in the period and another successor opened by the end of B
  (in another form, or in the same form after more than the move gap);
- ``verdwenen``: it closed in the period and nothing had replaced it by the end of B. A
  successor that opens after B is reported (``later_opvolgers``) but does not count:
  at B the place was empty;
- ``nieuw``: it opened in the period. A record that opened and closed again inside the
  period is counted by its closing (above) and marked ``ook_nieuw``. A move successor is
  the same provision at a new address: it is new only if the provision it continues
  opened in the period, otherwise ``blijvend``;
- ``blijvend``: open at the start of A and still open at the end of B.

Succession and moves
--------------------
`opvolger_van` holds the id of the record a record replaced (several ids may be given,
separated by ';'). We never guess links from names or places: a buurthuis that closed and
a new one at the same address without a link are a closure and an opening.

A link is a **move** (rule ``MOVE_MAX_MONTHS``) when the successor has the same soort as
its predecessor, the predecessor has closed, and the successor opened at most 12 months
before or after that closing. With only a year on either date, the years may differ by
at most one. A successor without an opening date cannot be timed and is never a move.
A move within 25 m (``SAME_PLACE_M``) is in the same building (Zonneplein 11 → 19).
A successor of the same soort after a longer gap is the provision coming back in the same
form (``teruggekeerd``), a successor of another soort is it coming back in another form.

Chains are followed: buurthuis → huis van de wijk (closed again) → buurtrestaurant. Each
link is a pair of its own; ``keten`` names the first record of the line and ``stap`` the
link's place in it. Cycles in bad data (a → b → a) are cut, never followed forever.

Statistics between years
------------------------
`compare_statistics` puts the values of an indicator in two years side by side per area
code and flags the areas it will not compare: a code with no figures at all in one of the
years (another division of areas), and a code whose population changed by more than
``BOUNDARY_CHANGE`` (30%) and at least ``BOUNDARY_MIN_PEOPLE`` (50) people, which on CBS
codes that stayed the same usually means a boundary change or large new-build (18 of
Utrecht's 111 buurten between 2015 and 2023). Flagged areas keep their values but get no
difference.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pandas as pd

from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.core.records import parse_date

STATUSES = tuple(vocab.CHANGE_STATUSES)  # the order of counts, legends and tables
MOVE_MAX_MONTHS = 12
SAME_PLACE_M = 25.0
BOUNDARY_CHANGE = indeling.BOUNDARY_CHANGE
BOUNDARY_MIN_PEOPLE = indeling.BOUNDARY_MIN_PEOPLE
GEOMETRY_CHANGE = indeling.GEOMETRY_CHANGE

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# --- dates ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class When:
    """A date as precise as it was recorded: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def months(self) -> int | None:
        """Months since year 0, or None when only the year is known."""
        return None if self.month is None else self.year * 12 + self.month - 1


def when(text) -> When | None:
    """'2019', '2019-03', '2019-03-01' (or any form records.parse_date takes) as a When;
    None for empty or unreadable text."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    text = str(text).strip()
    if not text:
        return None
    match = _ISO.match(text)
    if not match:
        try:
            match = _ISO.match(parse_date(text))
        except ValueError:
            return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return When(year, month, day)


def _year(text) -> int | None:
    moment = when(text)
    return moment.year if moment else None


def months_between(earlier: When, later: When) -> float:
    """How many months `later` lies after `earlier` (negative when before). With a year
    only on either side, whole years: the difference in years times 12."""
    if earlier.months is not None and later.months is not None:
        return later.months - earlier.months
    return (later.year - earlier.year) * 12


def _distance_m(lat1, lon1, lat2, lon2) -> float:
    if any(pd.isna(v) for v in (lat1, lon1, lat2, lon2)):
        return math.inf
    dy = (lat2 - lat1) * 111_320.0
    dx = (lon2 - lon1) * 111_320.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


# --- succession links (independent of the period) ------------------------------------


def _ids(text) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", str(text or "")) if part.strip()]


def is_move(predecessor: dict, successor: dict) -> bool:
    """The rule above: same soort, predecessor closed, successor opened within
    MOVE_MAX_MONTHS of that closing (with a year only: within one calendar year)."""
    if predecessor.get("soort") != successor.get("soort"):
        return False
    closed, opened = when(predecessor.get("gesloten")), when(successor.get("geopend"))
    if closed is None or opened is None:
        return False
    gap = months_between(closed, opened)
    if closed.months is None or opened.months is None:
        return abs(opened.year - closed.year) <= 1
    return abs(gap) <= MOVE_MAX_MONTHS


def succession_links(records: pd.DataFrame) -> pd.DataFrame:
    """Every valid `opvolger_van` link: one row per (predecessor, successor).

    Columns: van, naar (ids), verhuizing (a move, by the rule above), zelfde_soort,
    zelfde_plek (within SAME_PLACE_M), keten (id of the first record of the line),
    stap (1 for a link from the first record, 2 for the next, ...). Links to ids that
    are not in `records`, and links to itself, are left out."""
    rows = _rows(records)
    links = []
    for successor in rows.values():
        for pred_id in _ids(successor.get("opvolger_van")):
            if pred_id == successor["id"] or pred_id not in rows:
                continue
            predecessor = rows[pred_id]
            links.append(
                {
                    "van": pred_id,
                    "naar": successor["id"],
                    "verhuizing": is_move(predecessor, successor),
                    "zelfde_soort": predecessor.get("soort") == successor.get("soort"),
                    "zelfde_plek": _distance_m(
                        predecessor.get("lat"), predecessor.get("lon"), successor.get("lat"), successor.get("lon")
                    )
                    <= SAME_PLACE_M,
                }
            )
    frame = pd.DataFrame(links, columns=["van", "naar", "verhuizing", "zelfde_soort", "zelfde_plek"])
    predecessors: dict[str, list[str]] = {}
    for van, naar in zip(frame["van"], frame["naar"]):
        predecessors.setdefault(naar, []).append(van)

    def root_and_depth(record_id: str) -> tuple[str, int]:
        seen, current, depth = {record_id}, record_id, 0
        while predecessors.get(current):
            parent = sorted(predecessors[current])[0]
            if parent in seen:  # a cycle in the data: stop here
                break
            seen.add(parent)
            current, depth = parent, depth + 1
        return current, depth

    roots = [root_and_depth(van) for van in frame["van"]]
    frame["keten"] = [root for root, _ in roots]
    frame["stap"] = [depth + 1 for _, depth in roots]
    return frame


def _rows(records: pd.DataFrame) -> dict[str, dict]:
    columns = [c for c in ("id", "naam", "soort", "geopend", "gesloten", "opvolger_van", "lat", "lon") if c in records]
    values = [records[c].tolist() for c in columns]
    return {row[0]: dict(zip(columns, row)) for row in zip(*values)}


# --- status over a period ------------------------------------------------------------


STATUS_COLUMNS = [
    "id",
    "status",
    "open_begin",
    "open_eind",
    "geopend_in",
    "gesloten_in",
    "ook_nieuw",
    "opvolgers",
    "later_opvolgers",
    "voorgangers",
    "verhuisd_van",
    "verhuisd_naar",
    "keten_eind",
]


def status(records: pd.DataFrame, a: int, b: int, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """The status of every record that belongs to the period [a, b] (see the module notes).

    Returns one row per record in the period, in the records' order, indexed by id, with:
    status; open_begin / open_eind (open at the start of A / the end of B); geopend_in /
    gesloten_in (the record's own opening / closing falls in the period); ook_nieuw (closed
    in the period, and the provision it is also opened in it); opvolgers (ids of the
    successors that opened by the end of B, moves included, as a tuple), later_opvolgers
    (successors opening after B); voorgangers (ids it replaced); verhuisd_van /
    verhuisd_naar (the record this one moved from / to, or ""); keten_eind (following the
    successors that opened by B as far as they go: the last one, preferring one still open
    at B; "" when there is none). Pass `links` (succession_links) to save recomputing them."""
    if a > b:
        a, b = b, a
    links = succession_links(records) if links is None else links
    rows = _rows(records)
    opened = {rid: _year(row.get("geopend")) for rid, row in rows.items()}
    closed = {rid: _year(row.get("gesloten")) for rid, row in rows.items()}
    successors: dict[str, list[tuple[str, bool]]] = {}
    predecessors: dict[str, list[str]] = {}
    move_from: dict[str, str] = {}
    for van, naar, move in zip(links["van"], links["naar"], links["verhuizing"]):
        successors.setdefault(van, []).append((naar, bool(move)))
        predecessors.setdefault(naar, []).append(van)
        if move:
            move_from.setdefault(naar, van)

    def opened_by_b(rid: str) -> bool:
        return opened[rid] is None or opened[rid] <= b

    def origin_year(rid: str) -> int | None:
        """The opening year of the provision a record continues (through moves)."""
        seen = {rid}
        while rid in move_from and move_from[rid] not in seen:
            rid = move_from[rid]
            seen.add(rid)
        return opened[rid]

    def open_at_end(rid: str) -> bool:
        return closed[rid] is None or closed[rid] > b

    def chain_end(rid: str) -> str:
        found, frontier, seen = [], [rid], {rid}
        while frontier:
            current = frontier.pop()
            for nxt, _ in successors.get(current, []):
                if nxt not in seen and opened_by_b(nxt):
                    seen.add(nxt)
                    found.append(nxt)
                    frontier.append(nxt)
        if not found:
            return ""
        return max(found, key=lambda r: (open_at_end(r), opened[r] or 0, r))

    out = []
    for rid in rows:
        o, c = opened[rid], closed[rid]
        if (c is not None and c < a) or (o is not None and o > b):
            continue
        now = [s for s, _ in successors.get(rid, []) if opened_by_b(s)]
        later = [s for s, _ in successors.get(rid, []) if not opened_by_b(s)]
        moves = [s for s, move in successors.get(rid, []) if move and opened_by_b(s)]
        gesloten_in = c is not None and a <= c <= b
        origin = origin_year(rid)
        new_provision = origin is not None and a <= origin <= b
        if gesloten_in:
            state = "verhuisd" if moves else "teruggekeerd" if now else "verdwenen"
        elif new_provision:
            state = "nieuw"
        else:
            state = "blijvend"
        out.append(
            {
                "id": rid,
                "status": state,
                "open_begin": (o is None or o < a) and (c is None or c >= a),
                "open_eind": open_at_end(rid),
                "geopend_in": o is not None and a <= o <= b,
                "gesloten_in": gesloten_in,
                "ook_nieuw": gesloten_in and new_provision,
                "opvolgers": tuple(sorted(now, key=lambda s: (opened[s] or 0, s))),
                "later_opvolgers": tuple(sorted(later, key=lambda s: (opened[s] or 0, s))),
                "voorgangers": tuple(predecessors.get(rid, [])),
                "verhuisd_van": move_from.get(rid, ""),
                "verhuisd_naar": moves[0] if gesloten_in and moves else "",
                "keten_eind": chain_end(rid) if gesloten_in and now else "",
            }
        )
    return pd.DataFrame(out, columns=STATUS_COLUMNS).set_index("id", drop=False)


def with_records(statuses: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """The status rows joined with the record fields people read (name, soort, area, ...)."""
    fields = [
        c
        for c in ("naam", "soort", "geopend", "gesloten", "bron", "buurtcode", "wijkcode", "gemeentecode", "lat", "lon")
        if c in records
    ]
    joined = statuses.join(records.set_index("id")[fields], how="left")
    joined["categorie"] = joined["soort"].map(vocab.category_of)
    return joined


# --- succession pairs in a period -----------------------------------------------------


def successions(
    records: pd.DataFrame, a: int, b: int, statuses: pd.DataFrame | None = None, links: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The succession links of the period: both ends have a status in [a, b], so both are
    drawn. Adds the dates people read: van_gesloten (when the predecessor closed) and
    naar_geopend (when the successor opened), as recorded."""
    links = succession_links(records) if links is None else links
    statuses = status(records, a, b, links) if statuses is None else statuses
    inside = set(statuses.index)
    pairs = links[links["van"].isin(inside) & links["naar"].isin(inside)].copy()
    dates = records.set_index("id")
    pairs["van_gesloten"] = [dates.at[van, "gesloten"] for van in pairs["van"]]
    pairs["naar_geopend"] = [dates.at[naar, "geopend"] for naar in pairs["naar"]]
    return pairs.reset_index(drop=True)


# --- balance per area ----------------------------------------------------------------

BALANCE_COLUMNS = [
    "open_begin",
    "open_eind",
    "verdwenen",
    "teruggekeerd",
    "verhuisd_weg",
    "geopend",
    "verhuisd_hier",
    "netto",
]


def balance(joined: pd.DataFrame, level: str, categories=()) -> pd.DataFrame:
    """Per buurt / wijk / gemeente (`level`): what was there at the start and at the end,
    what was lost (verdwenen), replaced (teruggekeerd: closed, with a successor, which may
    stand in another area), moved away and moved in, and what opened (geopend: the
    record's own opening in the period, successors included, move arrivals not).

    `joined` is with_records(status(...), records). `categories` limits it to soorten of
    those categories (empty: all). netto = open_eind - open_begin, which always equals
    geopend + verhuisd_hier - verdwenen - teruggekeerd - verhuisd_weg."""
    if categories:
        joined = joined[joined["categorie"].isin(categories)]
    column = f"{level}code"
    arrival = joined["verhuisd_van"] != ""
    frame = pd.DataFrame(
        {
            "code": joined[column],
            "open_begin": joined["open_begin"].astype(int),
            "open_eind": joined["open_eind"].astype(int),
            "verdwenen": (joined["status"] == "verdwenen").astype(int),
            "teruggekeerd": (joined["status"] == "teruggekeerd").astype(int),
            "verhuisd_weg": (joined["status"] == "verhuisd").astype(int),
            "geopend": (joined["geopend_in"] & ~arrival).astype(int),
            "verhuisd_hier": (joined["geopend_in"] & arrival).astype(int),
        }
    )
    frame = frame[frame["code"].fillna("") != ""]
    totals = frame.groupby("code").sum()
    totals["netto"] = totals["open_eind"] - totals["open_begin"]
    return totals.reindex(columns=BALANCE_COLUMNS).astype(int)


# --- the cycle: counts per year -------------------------------------------------------


def yearly_counts(
    records: pd.DataFrame, first: int, last: int, links: pd.DataFrame | None = None, by: str = "categorie"
) -> pd.DataFrame:
    """For each year in [first, last] and each category (or soort, with by='soort'):
    open (open on 31 December of that year), geopend and gesloten (openings and closings
    in that year). Moves are neither: the moved-away record's closing and the arrival's
    opening are left out, so a move leaves the line flat. An unknown opening date counts
    as open from before `first`. Long format: jaar, <by>, open, geopend, gesloten."""
    import numpy as np

    links = succession_links(records) if links is None else links
    moved_away = records["id"].isin(set(links.loc[links["verhuizing"], "van"])).to_numpy()
    arrivals = records["id"].isin(set(links.loc[links["verhuizing"], "naar"])).to_numpy()
    groups = (records["soort"].map(vocab.category_of) if by == "categorie" else records["soort"]).to_numpy()
    opened = np.array([_year(v) or np.nan for v in records["geopend"]], dtype=float)
    closed = np.array([_year(v) or np.nan for v in records["gesloten"]], dtype=float)
    years = np.arange(first, last + 1)
    column = years[:, None]
    rows = []
    for group in [g for g in dict.fromkeys(groups) if isinstance(g, str)]:
        mask = groups == group
        o, c = opened[mask], closed[mask]
        is_open = (np.isnan(o) | (o <= column)) & (np.isnan(c) | (c > column))
        openings = (o == column) & ~arrivals[mask]
        closings = (c == column) & ~moved_away[mask]
        for index, year in enumerate(years):
            rows.append(
                {
                    "jaar": int(year),
                    by: group,
                    "open": int(is_open[index].sum()),
                    "geopend": int(openings[index].sum()),
                    "gesloten": int(closings[index].sum()),
                }
            )
    return pd.DataFrame(rows, columns=["jaar", by, "open", "geopend", "gesloten"])


# --- the period a view starts with ----------------------------------------------------


def _years_of(dates: pd.Series) -> pd.Series:
    """The year of each ISO date (as the store writes them), NaN where there is none."""
    return pd.to_numeric(dates.astype(str).str.extract(r"^(\d{4})(?:-|$)", expand=False), errors="coerce")


def event_years(records: pd.DataFrame) -> list[int]:
    """Every year in which something opened or closed."""
    years = pd.concat([_years_of(records["geopend"]), _years_of(records["gesloten"])]).dropna()
    return sorted({int(y) for y in years.unique()})


SPAN_YEARS = 40


def year_span(records: pd.DataFrame, this_year: int) -> tuple[int, int]:
    """The years a period can be chosen from: the first event, but at most SPAN_YEARS
    back, to this year (or the last event, if later). Without any dates: the last ten
    years. (Older events still count: what opened in 1892 is open at the start of A.)"""
    years = event_years(records)
    if not years:
        return this_year - 10, this_year
    last = max(max(years), this_year)
    return max(min(years), last - SPAN_YEARS), last


def default_period(records: pd.DataFrame, this_year: int) -> tuple[int, int]:
    """The period a view opens with: from the first recorded closing (at most 25 years
    back) to the last recorded event (no later than this year). Sample Utrecht: 2005-2025;
    the Amsterdam repair cafés: 2024-2026."""
    events = event_years(records)
    if not events:
        return this_year - 10, this_year
    end = min(max(events), this_year)
    closings = sorted({int(y) for y in _years_of(records["gesloten"]).dropna().unique() if y <= end})
    start = closings[0] if closings else end - 10
    first = year_span(records, this_year)[0]
    return int(max(start, end - 25, first)), int(end)


# --- statistics compared between years -----------------------------------------------


def compare_statistics(
    statistics: pd.DataFrame,
    indicator: str,
    jaar_a: int,
    jaar_b: int,
    codes,
    threshold: float = BOUNDARY_CHANGE,
    min_people: int = BOUNDARY_MIN_PEOPLE,
    geometry_change: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """`indicator` in `jaar_a` and `jaar_b` per area code, and which areas not to compare.

    `geometry_change` (indeling.boundary_change) says, where the boundaries of both years
    are known, how each area's outline differs: those codes are judged by their outline
    instead of their population.

    Columns: waarde_a, waarde_b, verschil (b - a; NaN where flagged or missing),
    inwoners_a, inwoners_b, inwoners_verandering (fraction), geometrie_verschil (fraction,
    NaN where unknown), vlag:
      ''            compared;
      'code_a'      the code has no figures at all in jaar_a (not in that year's division);
      'code_b'      likewise for jaar_b;
      'grens_geometrie' the outlines of the two years make it another area
                    (indeling.boundary_change);
      'grens'       population changed by more than `threshold` and at least `min_people`:
                    same code, probably not the same area (or much new-build);
      'geen_waarde' the code exists in both years, but the indicator has no value in one
                    (unknown or secret at CBS)."""
    codes = list(dict.fromkeys(codes))
    relevant = statistics[statistics["code"].isin(set(codes)) & statistics["jaar"].isin([jaar_a, jaar_b])]
    present = {year: set(relevant.loc[relevant["jaar"] == year, "code"]) for year in (jaar_a, jaar_b)}

    def values(name: str, year: int) -> pd.Series:
        rows = relevant[(relevant["indicator"] == name) & (relevant["jaar"] == year)]
        return rows.drop_duplicates("code").set_index("code")["waarde"].reindex(codes)

    frame = pd.DataFrame(
        {
            "waarde_a": values(indicator, jaar_a),
            "waarde_b": values(indicator, jaar_b),
            "inwoners_a": values("inwoners", jaar_a),
            "inwoners_b": values("inwoners", jaar_b),
        },
        index=pd.Index(codes, name="code"),
    ).astype(float)
    change, boundary = indeling.population_jumped(frame["inwoners_a"], frame["inwoners_b"], threshold, min_people)
    frame["inwoners_verandering"] = change
    if geometry_change is not None:
        # Where both outlines are known, they decide, not the population.
        outline = geometry_change.reindex(codes)
        known = outline["veranderd"].notna()
        frame["geometrie_verschil"] = outline["verschil"].astype(float)
        boundary = boundary.where(~known, False)
        moved = outline["veranderd"].where(known, False).astype(bool)
    else:
        frame["geometrie_verschil"] = math.nan
        moved = pd.Series(False, index=frame.index)
    flags = []
    for code in codes:
        if code not in present[jaar_a]:
            flags.append("code_a")
        elif code not in present[jaar_b]:
            flags.append("code_b")
        elif jaar_a != jaar_b and bool(moved.get(code, False)):
            flags.append("grens_geometrie")
        elif jaar_a != jaar_b and bool(boundary.get(code, False)):
            flags.append("grens")
        elif pd.isna(frame.at[code, "waarde_a"]) or pd.isna(frame.at[code, "waarde_b"]):
            flags.append("geen_waarde")
        else:
            flags.append("")
    frame["vlag"] = flags
    frame["verschil"] = (frame["waarde_b"] - frame["waarde_a"]).where(frame["vlag"] == "")
    columns = ["waarde_a", "waarde_b", "verschil", "inwoners_a", "inwoners_b", "inwoners_verandering"]
    return frame[[*columns, "geometrie_verschil", "vlag"]]


# --- the summary in plain words --------------------------------------------------------

# Dutch plural and the English forms of each soort, for sentences.
PLURALS_NL = {
    "buurthuis": "buurthuizen",
    "bibliotheek": "bibliotheekfilialen",
    "bejaardenhuis": "bejaardenhuizen",
    "huis_van_de_wijk": "huizen van de wijk",
    "repair_cafe": "repair cafés",
    "buurtrestaurant": "buurtrestaurants",
    "naaiatelier": "naaiateliers",
    "wijkwerkplaats": "wijkwerkplaatsen",
    "kringloopwinkel": "kringloopwinkels",
    "voedselbank": "voedselbanken",
    "koffiehoek": "koffiehoeken",
    "broedplaats": "broedplaatsen",
    "wijkteam": "wijkteams",
    "wijkagent": "wijkagenten",
    "wijkpastoraat": "wijkpastoraten",
    "kerk": "kerken",
    "moskee": "moskeeën",
    "religieuze_organisatie": "religieuze organisaties",
    "bewonersinitiatief": "bewonersinitiatieven",
    "community_art": "community-artprojecten",
    "dementievriendelijk": "dementievriendelijke initiatieven",
    "ontvangende_buurt": "ontvangende buurten",
}
SINGULARS_NL = {
    "bibliotheek": "bibliotheekfiliaal",
    "huis_van_de_wijk": "huis van de wijk",
    "repair_cafe": "repair café",
    "koffiehoek": "koffiehoek in een supermarkt",
    "religieuze_organisatie": "religieuze organisatie",
    "community_art": "community-artproject",
    "dementievriendelijk": "dementievriendelijk initiatief",
    "ontvangende_buurt": "ontvangende buurt",
}
PLURALS_EN = {
    "buurthuis": "community centres",
    "bibliotheek": "library branches",
    "bejaardenhuis": "care homes",
    "huis_van_de_wijk": "neighbourhood living rooms",
    "repair_cafe": "repair cafés",
    "buurtrestaurant": "neighbourhood restaurants",
    "naaiatelier": "sewing workshops",
    "wijkwerkplaats": "neighbourhood workshops",
    "kringloopwinkel": "second-hand shops",
    "voedselbank": "food banks",
    "koffiehoek": "supermarket coffee corners",
    "broedplaats": "creative incubators",
    "wijkteam": "neighbourhood teams",
    "wijkagent": "community police officers",
    "wijkpastoraat": "neighbourhood chaplaincies",
    "kerk": "churches",
    "moskee": "mosques",
    "religieuze_organisatie": "religious organisations",
    "bewonersinitiatief": "residents' initiatives",
    "community_art": "community art projects",
    "dementievriendelijk": "dementia-friendly initiatives",
    "ontvangende_buurt": "welcoming neighbourhoods",
}


def soort_words(soort: str, count: int, lang: str = "nl") -> str:
    """'1 buurthuis', '9 buurthuizen', '2 repair cafés' (English: '9 community centres')."""
    if lang == "en":
        plural = PLURALS_EN.get(soort, soort)
        singular = vocab.label("soort", soort, "en").lower() if count == 1 else plural
        return f"{count} {singular if count == 1 else plural}"
    if count == 1:
        return f"1 {SINGULARS_NL.get(soort, vocab.label('soort', soort, 'nl').lower())}"
    return f"{count} {PLURALS_NL.get(soort, soort)}"


def _a(soort: str, lang: str) -> str:
    if lang == "en":
        label = vocab.label("soort", soort, "en").lower()
        return ("an " if label[:1] in "aeiou" else "a ") + label
    return "een " + SINGULARS_NL.get(soort, vocab.label("soort", soort, "nl").lower())


def _join(parts: list[str], lang: str) -> str:
    word = " and " if lang == "en" else " en "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + word + parts[-1]


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    order = list(vocab.SOORTEN)
    return sorted(counter.items(), key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else 99))


def summary(
    joined: pd.DataFrame,
    a: int,
    b: int,
    lang: str = "nl",
    categories=(),
    area_names: dict | None = None,
    area_balance: pd.DataFrame | None = None,
) -> str:
    """A short text in plain words about the period, from with_records(status(...)).

    E.g. "Tussen 2005 en 2020 sloten 9 buurthuizen; 6 kregen een opvolger, meestal een
    huis van de wijk." It names the soort that lost most, the others briefly, what opened,
    the moves, the net change and (given `area_balance` and `area_names`) the area that lost most.
    `joined` holds every record of the view; `categories` limits what is counted (empty:
    all), while a successor is named by its own soort even when that lies outside them."""
    en = lang == "en"
    successor_soort = joined["soort"].to_dict()
    if categories:
        joined = joined[joined["categorie"].isin(categories)]
    if joined.empty:
        return "No provisions with data here." if en else "Hier zijn geen voorzieningen met gegevens."
    if a > b:
        a, b = b, a
    when_text = f"In {a}" if a == b else (f"Between {a} and {b}" if en else f"Tussen {a} en {b}")
    sentences = []
    closings = joined[joined["status"].isin(["verdwenen", "teruggekeerd"])]
    per_soort = _ranked(Counter(closings["soort"]))
    if per_soort:
        soort, count = per_soort[0]
        mine = closings[closings["soort"] == soort]
        replaced = mine[mine["status"] == "teruggekeerd"]
        forms = Counter(
            successor_soort.get(next((s for s in row if s in successor_soort), ""), "") for row in replaced["opvolgers"]
        )
        forms.pop("", None)
        if en:
            first = f"{when_text}, {soort_words(soort, count, lang)} closed"
        else:
            first = f"{when_text} {'sloot' if count == 1 else 'sloten'} {soort_words(soort, count, lang)}"
        k = len(replaced)
        if k == 0:
            tail = (
                ("; none got a successor" if count > 1 else "; it got no successor")
                if en
                else ("; geen daarvan kreeg een opvolger" if count > 1 else "; het kreeg geen opvolger")
            )
        else:
            if en:
                who = (
                    "it got a successor"
                    if count == 1
                    else (f"all {k} got a successor" if k == count else f"{k} got a successor")
                )
            else:
                who = (
                    "het kreeg een opvolger"
                    if count == 1
                    else (
                        f"alle {k} kregen een opvolger"
                        if k == count
                        else f"{k} kreeg een opvolger"
                        if k == 1
                        else f"{k} kregen een opvolger"
                    )
                )
            tail = f"; {who}"
            if forms:
                top, top_count = _ranked(forms)[0]
                if k == 1:
                    tail += f": {_a(top, lang)}"
                elif top_count == k:
                    tail += f", {'each' if en else 'steeds'} {_a(top, lang)}"
                elif top_count * 2 > k:
                    tail += f", {'mostly' if en else 'meestal'} {_a(top, lang)}"
                else:
                    tail += f", {'most often' if en else 'het vaakst'} {_a(top, lang)}"
        sentences.append(first + tail + ".")
        others = []
        for soort, count in per_soort[1:4]:
            replaced_count = int(((closings["soort"] == soort) & (closings["status"] == "teruggekeerd")).sum())
            if en:
                note = (
                    "none replaced"
                    if replaced_count == 0
                    else ("all replaced" if replaced_count == count else f"{replaced_count} replaced")
                )
            else:
                note = (
                    "geen met opvolger"
                    if replaced_count == 0
                    else (
                        "alle met opvolger"
                        if replaced_count == count and count > 1
                        else f"{replaced_count} met opvolger"
                    )
                )
            others.append(f"{soort_words(soort, count, lang)} ({note})")
        rest = sum(count for _, count in per_soort[4:])
        if rest:
            others.append(
                f"{rest} {'other provisions' if en else ('andere voorziening' if rest == 1 else 'andere voorzieningen')}"
            )
        if others:
            sentences.append(("Also closed: " if en else "Verder sloten ") + _join(others, lang) + ".")
    else:
        sentences.append(f"{when_text}{', nothing closed' if en else ' sloot er niets'}.")

    arrivals = joined["verhuisd_van"] != ""
    openings = joined[joined["geopend_in"] & ~arrivals]
    if len(openings):
        with_pred = int((openings["voorgangers"].map(len) > 0).sum())
        kinds = _ranked(Counter(openings["soort"]))[:2]
        if en:
            text = f"{len(openings)} {'provision' if len(openings) == 1 else 'provisions'} opened"
        else:
            text = (
                "Er opende 1 nieuwe voorziening"
                if len(openings) == 1
                else f"Er openden {len(openings)} nieuwe voorzieningen"
            )
        if len(openings) == 1:
            text += f": {_a(kinds[0][0], lang)}"
        elif kinds[0][1] == len(openings):
            plural = (PLURALS_EN if en else PLURALS_NL).get(kinds[0][0], kinds[0][0])
            text += (", all of them " if en else ", allemaal ") + plural
        else:
            text += (", mostly " if en else ", vooral ") + _join([soort_words(s, c, lang) for s, c in kinds], lang)
        if with_pred:
            text += (
                f"; {with_pred} of them as a successor"
                if en
                else f"; {'daarvan kwam er 1' if with_pred == 1 else f'daarvan kwamen er {with_pred}'} als opvolger"
            )
        closed_again = int(openings["gesloten_in"].sum())
        if closed_again:
            text += (
                f"; {closed_again} closed again within the period"
                if en
                else f"; {closed_again} {'sloot' if closed_again == 1 else 'sloten'} binnen de periode weer"
            )
        sentences.append(text + ".")
    moved = int((joined["status"] == "verhuisd").sum())
    if moved:
        sentences.append(
            f"{moved} moved to a new address (not counted as closing)."
            if en
            else f"{'1 voorziening verhuisde' if moved == 1 else f'{moved} voorzieningen verhuisden'} "
            "naar een nieuw adres; dat telt niet als sluiting."
        )
    start, end = int(joined["open_begin"].sum()), int(joined["open_eind"].sum())
    diff = end - start
    if en:
        sentences.append(
            f"On balance: {end} at the end of {b} against {start} at the start of {a} "
            f"({'+' if diff > 0 else '−' if diff < 0 else ''}{abs(diff)})."
        )
    else:
        how = "evenveel als" if diff == 0 else (f"{diff} meer dan" if diff > 0 else f"{-diff} minder dan")
        sentences.append(f"Per saldo waren er eind {b} {end} voorzieningen, {how} begin {a} ({start}).")
    if area_balance is not None and len(area_balance) and area_names is not None:
        worst = area_balance.sort_values(["netto", "verdwenen"], ascending=[True, False])
        if int(worst["netto"].iloc[0]) < 0:
            code = worst.index[0]
            name = area_names.get(code, code)
            net = int(worst["netto"].iloc[0])
            sentences.append(f"{'Largest loss' if en else 'Het grootste verlies'}: {name} (−{-net}).")
    return " ".join(sentences)


def this_year() -> int:
    return date.today().year


@dataclass(frozen=True)
class PeriodChoice:
    """What the period slider can show for the records in view."""

    lo: int
    hi: int
    default: tuple[int, int]

    def resolve(self, van: int | None, tot: int | None) -> tuple[int, int]:
        """The period a state means: its years, or the default, kept within the span."""
        a = van if van is not None else self.default[0]
        b = tot if tot is not None else self.default[1]
        a, b = (b, a) if a > b else (a, b)
        return min(max(a, self.lo), self.hi), min(max(b, self.lo), self.hi)


def period_choice(records: pd.DataFrame) -> PeriodChoice:
    lo, hi = year_span(records, this_year())
    if lo >= hi:
        lo = hi - 1
    return PeriodChoice(lo, hi, default_period(records, this_year()))
