"""The generator of the illustrative sample: places the kinds of tables.py in real buurten,
weighted by need, with dates, closures, successors and wijkteam werkgebieden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from wijkmap.config import WGS84
from wijkmap.core.records import FIELDS, join_list
from wijkmap.core.vocabulary import SAMPLE_BRON
from wijkmap.data.sources.sample.tables import (
    CHAINS,
    CLASSIC,
    CLOSING,
    COMPOUND_HEADS,
    COMPOUND_TAILS,
    GEMEENTEN,
    INITIATIVE,
    KINDS,
    LAST_YEAR,
    NEED_INDICATORS,
    PLAN,
    POPULATED,
    POPUP,
    PREFIX,
    RELIGIOUS,
    SAINTS,
    SINGLE_NAMES,
    STATISTICS_YEAR,
    STREET_HEADS,
    STREET_TAILS,
    SUCCESSORS,
    SUFFIX,
    TEAM_MIN_INWONERS,
    TEAM_SPLIT_INWONERS,
    THIN_SHARE,
    VIRTUES,
    Kind,
)

# ---------------------------------------------------------------------------------------
# Inputs: the buurten of one gemeente with their weights
# ---------------------------------------------------------------------------------------


def _wide_statistics(statistics: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """One row per buurtcode, one column per indicator; 2015 where present, else the
    latest year. Absent indicators are simply absent; CBS secrecy codes become NaN."""
    wanted = ["inwoners", *NEED_INDICATORS]
    empty = pd.DataFrame(index=pd.Index(codes, name="code"))
    if statistics is None or statistics.empty or not {"code", "indicator", "waarde"} <= set(statistics.columns):
        return empty
    rows = statistics[statistics["code"].isin(codes) & statistics["indicator"].isin(wanted)].copy()
    if rows.empty:
        return empty
    rows["waarde"] = pd.to_numeric(rows["waarde"], errors="coerce")
    rows.loc[rows["waarde"] < 0, "waarde"] = np.nan  # -99999999: secret or unknown
    if "jaar" in rows.columns:
        year = pd.to_numeric(rows["jaar"], errors="coerce").fillna(0)
        rows["_rank"] = np.where(year == STATISTICS_YEAR, 10_000, year)
        rows = rows.sort_values(["code", "indicator", "_rank"], kind="stable")
        rows = rows.drop_duplicates(["code", "indicator"], keep="last")
    else:
        rows = rows.drop_duplicates(["code", "indicator"], keep="first")
    wide = rows.pivot(index="code", columns="indicator", values="waarde")
    return wide.reindex(index=codes, columns=sorted(wide.columns)).rename_axis("code")


def _percentile(values: pd.Series, mask: np.ndarray) -> np.ndarray:
    """Rank of each value among the masked (populated) buurten, 0..1; 0.5 when unknown."""
    ranks = values.where(mask).rank(pct=True, method="average")
    return ranks.fillna(0.5).to_numpy(dtype=float)


@dataclass
class Area:
    """The buurten of one gemeente, in code order, with what placement needs."""

    gemeentecode: str
    frame: gpd.GeoDataFrame  # code, naam, wijkcode, geometry; sorted by code
    inwoners: np.ndarray
    populated: np.ndarray
    need: np.ndarray  # 0..1
    old: np.ndarray  # 0..1, share of 65+ (or need)
    migration: np.ndarray  # 0..1, non-western migration background (or need)
    thin: np.ndarray  # deliberately thin social basis
    neighbours: list[list[int]]
    rng: np.random.Generator
    shrunk: list = field(default_factory=list)  # geometries kept off the buurt edge

    @property
    def codes(self) -> list[str]:
        return self.frame["code"].tolist()


def _area(buurten: gpd.GeoDataFrame, statistics: pd.DataFrame, gemeentecode: str, seed: int) -> Area | None:
    frame = buurten[buurten["gemeentecode"] == gemeentecode]
    if "niveau" in frame.columns:
        frame = frame[frame["niveau"].fillna("buurt") == "buurt"]
    frame = frame[~frame.geometry.is_empty & frame.geometry.notna()]
    if frame.empty:
        return None
    frame = frame.to_crs(WGS84) if frame.crs is not None else frame
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    frame = frame.assign(geometry=shapely.make_valid(frame.geometry.to_numpy()))
    codes = frame["code"].tolist()
    wide = _wide_statistics(statistics, codes)

    if "inwoners" in wide.columns and wide["inwoners"].notna().any():
        known = wide["inwoners"]
        inwoners = known.fillna(known.median()).to_numpy(dtype=float)
        populated = inwoners >= POPULATED
    else:  # no population figures: every buurt counts the same
        inwoners = np.full(len(codes), 1000.0)
        populated = np.ones(len(codes), dtype=bool)
    parts = [_percentile(wide[name], populated) for name in NEED_INDICATORS if name in wide.columns]
    need = np.mean(parts, axis=0) if parts else np.full(len(codes), 0.5)
    old = _percentile(wide["pct_65plus"], populated) if "pct_65plus" in wide.columns else need
    migration = _percentile(wide["pct_niet_westers"], populated) if "pct_niet_westers" in wide.columns else need

    rng = np.random.default_rng([seed, int(gemeentecode[2:])])
    thin = np.zeros(len(codes), dtype=bool)
    candidates = np.flatnonzero(populated & (inwoners >= 1000))
    if candidates.size:
        threshold = np.quantile(need[candidates], 0.75)
        high = candidates[need[candidates] >= threshold]
        count = max(2, int(round(THIN_SHARE * high.size))) if high.size >= 2 else high.size
        thin[rng.choice(high, size=min(count, high.size), replace=False)] = True

    geometries = frame.geometry.to_numpy()
    tree = STRtree(geometries)
    neighbours = []
    for index, geometry in enumerate(geometries):
        hits = tree.query(geometry.buffer(0.0005), predicate="intersects")
        neighbours.append(sorted(int(hit) for hit in hits if hit != index))
    shrunk = []
    for geometry in geometries:
        inner = geometry.buffer(-0.00015)
        shrunk.append(inner if not inner.is_empty and inner.area > 0.2 * geometry.area else geometry)
    for geometry in shrunk:
        shapely.prepare(geometry)
    return Area(gemeentecode, frame, inwoners, populated, need, old, migration, thin, neighbours, rng, shrunk)


# ---------------------------------------------------------------------------------------
# Small random helpers (all draws go through the gemeente's Generator)
# ---------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...]) -> str:
    weights = np.array([w for _, w in weighted], dtype=float)
    return weighted[int(rng.choice(len(weighted), p=weights / weights.sum()))][0]


def _some(rng: np.random.Generator, pool: tuple[str, ...], exclude: list[str], most: int) -> list[str]:
    """0..most further codes from `pool`, in the pool's order."""
    options = [code for code in pool if code not in exclude]
    count = min(len(options), int(rng.choice(3, p=[0.45, 0.4, 0.15])), most)
    if count == 0:
        return []
    chosen = set(rng.choice(len(options), size=count, replace=False).tolist())
    return [code for index, code in enumerate(options) if index in chosen]


def _date(rng: np.random.Generator, year: int, full_share: float = 0.25) -> str:
    """A year, or now and then a full date in that year."""
    if rng.random() >= full_share:
        return f"{year:04d}"
    return dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29))).isoformat()


def _date_after(rng: np.random.Generator, earlier: str, year: int) -> str:
    """A date in `year` that is not before `earlier` (a year or a full date)."""
    date = _date(rng, year)
    if len(earlier) == 10 and int(earlier[:4]) == year and (len(date) == 4 or date < earlier):
        start = dt.date.fromisoformat(earlier)
        room = (dt.date(year, 12, 31) - start).days
        date = (start + dt.timedelta(days=int(rng.integers(0, room + 1)))).isoformat()
    return date


def _year(date: str) -> int:
    return int(date[:4])


def _point(area: Area, index: int) -> tuple[float, float]:
    """A random point (6 decimals) inside buurt `index`, kept a little off its edge."""
    rng = area.rng
    geometry = area.frame.geometry.iloc[index]
    inner = area.shrunk[index]
    minx, miny, maxx, maxy = inner.bounds
    for _ in range(20_000):
        lon = round(float(rng.uniform(minx, maxx)), 6)
        lat = round(float(rng.uniform(miny, maxy)), 6)
        if shapely.contains_xy(inner, lon, lat) and shapely.contains_xy(geometry, lon, lat):
            return lon, lat
    anchor = geometry.representative_point()  # a sliver: fall back to a point surely inside
    return round(anchor.x, 6), round(anchor.y, 6)


def _draw(area: Area, weights: np.ndarray) -> int:
    weights = np.where(np.isfinite(weights) & (weights > 0), weights, 0.0)
    if weights.sum() <= 0:
        weights = area.populated.astype(float) + 1e-9
    return int(area.rng.choice(len(weights), p=weights / weights.sum()))


def _weights(area: Area, soort: str) -> np.ndarray:
    """Where a soort tends to be: by inhabitants, need, age or migration background.
    Initiatives and pop-ups avoid the deliberately thin buurten."""
    inw = np.where(area.populated, area.inwoners, 0.0)
    thin = np.where(area.thin, 0.03, 1.0)
    if soort in ("buurthuis", "bibliotheek"):
        return inw
    if soort == "bejaardenhuis":
        return inw * (0.4 + area.old) ** 2
    if soort in ("kerk", "wijkpastoraat", "religieuze_organisatie"):
        return np.sqrt(inw)
    if soort == "moskee":
        return inw * (0.2 + area.migration) ** 3
    if soort == "broedplaats":
        return np.sqrt(inw) * thin
    if soort == "dementievriendelijk":
        return inw * (0.3 + area.old) ** 2 * thin
    if soort in ("ontvangende_buurt", "naaiatelier"):
        return inw * (0.3 + (area.migration + area.need) / 2) ** 2 * thin
    if soort == "koffiehoek":
        return inw * (0.3 + area.old) * thin
    return inw * (0.3 + area.need) ** 2 * thin


# ---------------------------------------------------------------------------------------
# Making records
# ---------------------------------------------------------------------------------------


class _Sample:
    """Collects the records of all gemeenten; hands out ids and unique names."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self.names: set[str] = set()  # only for membership; never iterated

    def _name(self, area: Area, kind: Kind) -> tuple[str, int]:
        """A new fictional name, and which template it was made from."""
        rng = area.rng
        for attempt in range(200):
            choice = int(rng.integers(len(kind.templates)))
            template = kind.templates[choice]
            if rng.random() < 0.5:
                head = COMPOUND_HEADS[int(rng.integers(len(COMPOUND_HEADS)))]
                tail, article = COMPOUND_TAILS[int(rng.integers(len(COMPOUND_TAILS)))]
                naam = f"{article} {head}{tail}"
            else:
                naam = SINGLE_NAMES[int(rng.integers(len(SINGLE_NAMES)))]
            street = (
                STREET_HEADS[int(rng.integers(len(STREET_HEADS)))] + STREET_TAILS[int(rng.integers(len(STREET_TAILS)))]
            )
            saint = "Sint-" + SAINTS[int(rng.integers(len(SAINTS)))]
            virtue = VIRTUES[int(rng.integers(len(VIRTUES)))]
            text = template.format(naam=naam, straat=street, saint=saint, deugd=virtue)
            if attempt > 100:
                text = f"{text} {attempt - 99}"
            if text not in self.names:
                self.names.add(text)
                return text + SUFFIX, choice
        raise RuntimeError("no unused sample name left")  # pragma: no cover

    def add(
        self,
        area: Area,
        soort: str,
        index: int,
        *,
        point: tuple[float, float] | None = None,
        geopend: str = "",
        gesloten: str = "",
        tijdelijk: str = "",
        opvolger_van: str = "",
        extra: str = "",
        werkgebied: str = "",
    ) -> dict:
        rng = area.rng
        kind = KINDS[soort]
        strategie = _pick(rng, kind.strategie)
        actors = [_pick(rng, kind.actor_main)]
        actors += _some(rng, kind.actor_extra, actors, 2)
        doel = _pick(rng, kind.doel_main)
        if doel == "iedereen" and strategie == "bonding" and len(kind.doel_main) > 1:
            # bonding is about a group that recognises itself, rarely "everyone"
            doel = _pick(rng, tuple(item for item in kind.doel_main if item[0] != "iedereen"))
        doelgroepen = [doel] if doel == "iedereen" else [doel, *_some(rng, kind.doel_extra, [doel], 2)]
        tarief = _pick(rng, kind.tarief) if kind.tarief else ""
        naam, choice = self._name(area, kind)
        blurb = kind.blurbs[choice] if kind.paired else kind.blurbs[int(rng.integers(len(kind.blurbs)))]
        lon, lat = point if point is not None else _point(area, index)
        buurt = area.frame.iloc[index]
        record = {
            "id": f"vb-{len(self.records) + 1:04d}",
            "naam": naam,
            "soort": soort,
            "strategie": strategie,
            "actortype": join_list(actors),
            "doelgroep": join_list(doelgroepen),
            "tarief": tarief,
            "tijdelijk": tijdelijk,
            "geopend": geopend,
            "gesloten": gesloten,
            "opvolger_van": opvolger_van,
            "omschrijving": (PREFIX + " ".join(part for part in (blurb, extra) if part)).strip(),
            "url": "",
            "bron": SAMPLE_BRON,
            "laatst_gecontroleerd": "",
            "werkgebied": werkgebied,
            "buurtcode": buurt["code"],
            "wijkcode": buurt["wijkcode"],
            "gemeentecode": area.gemeentecode,
            "lon": lon,
            "lat": lat,
            "_index": index,
        }
        self.records.append(record)
        return record

    # -- the kinds of records, in the order they are made -------------------------------

    def wijkteams(self, area: Area) -> None:
        """One team per wijk; tiny wijken join the nearest team, big ones get two."""
        for team in _teams(area):
            office = max(team, key=lambda i: (area.inwoners[i], -i))
            codes = join_list(area.codes[i] for i in sorted(team))
            self.add(
                area,
                "wijkteam",
                office,
                geopend=_date(area.rng, 2015),
                tijdelijk="nee",
                werkgebied=codes,
                extra=f"Werkgebied: {len(team)} buurten.",
            )

    def classic(self, area: Area) -> None:
        """Buurthuizen, libraries and care homes; many closed, some replaced."""
        rng = area.rng
        closed: list[tuple[dict, bool]] = []
        for soort in CLASSIC:
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                opened = _date(rng, int(rng.integers(KINDS[soort].opened[0], KINDS[soort].opened[1] + 1)), 0.15)
                chance, (first, last) = CLOSING[soort]
                record = self.add(area, soort, index, geopend=opened, tijdelijk="nee")
                if area.thin[index] or rng.random() < chance:
                    record["gesloten"] = _date(rng, int(rng.integers(first, last + 1)))
                    closed.append((record, not area.thin[index]))
        successors = [self.successor(area, record) for record, may in closed if may]
        chains = 0
        for successor in successors:
            if (
                successor is not None
                and chains < CHAINS
                and successor["soort"] == "huis_van_de_wijk"
                and _year(successor["geopend"]) <= 2016
            ):
                closing = min(LAST_YEAR - 1, _year(successor["geopend"]) + int(rng.integers(3, 7)))
                successor["gesloten"] = _date_after(rng, successor["geopend"], closing)
                successor["tijdelijk"] = "ja"
                self.successor(area, successor, soort="buurtrestaurant")
                chains += 1

    def successor(self, area: Area, predecessor: dict, soort: str | None = None) -> dict | None:
        """Maybe a new kind of provision in the place of a closed one, 0-3 years later:
        in the same building, elsewhere in the buurt, or in a neighbouring buurt."""
        rng = area.rng
        if soort is None:
            chance, options = SUCCESSORS[predecessor["soort"]]
            if rng.random() >= chance:
                return None
            soort = _pick(rng, options)
        year = min(LAST_YEAR, _year(predecessor["gesloten"]) + int(rng.integers(0, 4)))
        index = predecessor["_index"]
        where = rng.random()
        if where < 0.4:
            point, place = (predecessor["lon"], predecessor["lat"]), "in hetzelfde gebouw"
        elif where < 0.75 or not area.neighbours[index]:
            point, place = None, "in dezelfde buurt"
        else:
            candidates = [i for i in area.neighbours[index] if area.populated[i] and not area.thin[i]] or [index]
            index = candidates[int(rng.integers(len(candidates)))]
            point, place = None, "in de buurt ernaast"
        popup = soort in POPUP and rng.random() < KINDS[soort].popup_share
        return self.add(
            area,
            soort,
            index,
            point=point,
            geopend=_date_after(rng, predecessor["gesloten"], year),
            tijdelijk=("ja" if popup else "nee") if soort in POPUP else "",
            opvolger_van=predecessor["id"],
            extra=f"Kwam {place} in de plaats van {predecessor['naam']}.",
        )

    def religious(self, area: Area) -> None:
        rng = area.rng
        for soort in RELIGIOUS:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                known = soort == "kerk" or rng.random() < 0.8
                opened = _date(rng, int(rng.integers(kind.opened[0], kind.opened[1] + 1)), 0.1) if known else ""
                record = self.add(area, soort, index, geopend=opened, tijdelijk="nee")
                if soort in CLOSING:
                    chance, (first, last) = CLOSING[soort]
                    if rng.random() < chance:
                        record["gesloten"] = _date(rng, int(rng.integers(first, last + 1)))
                        if not area.thin[index]:
                            self.successor(area, record)

    def popups(self, area: Area) -> None:
        rng = area.rng
        for soort in POPUP:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                temporary = rng.random() < kind.popup_share
                first, last = kind.opened
                if temporary:
                    first, last = max(first, 2012), min(last, 2023)
                year = int(rng.integers(first, last + 1))
                opened = _date(rng, year)
                gesloten = ""
                if temporary and rng.random() < 0.55:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(1, 5))))
                elif not temporary and rng.random() < 0.1 and year + 3 <= LAST_YEAR:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(3, 11))))
                self.add(
                    area,
                    soort,
                    index,
                    geopend=opened,
                    gesloten=gesloten,
                    tijdelijk="ja" if temporary else "nee",
                )

    def initiatives(self, area: Area) -> None:
        rng = area.rng
        for soort in INITIATIVE:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                year = int(rng.integers(kind.opened[0], kind.opened[1] + 1))
                opened = _date(rng, year) if rng.random() < 0.9 else ""
                gesloten = ""
                if opened and rng.random() < 0.15 and year + 2 <= LAST_YEAR:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(2, 9))))
                self.add(area, soort, index, geopend=opened, gesloten=gesloten)


def _teams(area: Area) -> list[list[int]]:
    """The werkgebieden (lists of buurt indices) of the wijkteams of one gemeente."""
    frame = area.frame
    wijken: dict[str, list[int]] = {}
    for index, wijkcode in enumerate(frame["wijkcode"].tolist()):
        wijken.setdefault(str(wijkcode), []).append(index)
    order = sorted(wijken)
    size = {code: float(area.inwoners[wijken[code]].sum()) for code in order}
    hosts = [code for code in order if size[code] >= TEAM_MIN_INWONERS] or order
    shapes = {code: shapely.union_all(frame.geometry.iloc[wijken[code]].to_numpy()) for code in order}
    served: dict[str, list[int]] = {code: list(wijken[code]) for code in hosts}
    for code in order:
        if code not in served:  # a wijk with hardly anyone living there
            nearest = min(hosts, key=lambda host: (shapes[code].distance(shapes[host]), host))
            served[nearest] += wijken[code]
    teams: list[list[int]] = []
    for code in hosts:
        members = sorted(served[code])
        if size[code] > TEAM_SPLIT_INWONERS and len(members) >= 4:
            teams += _split(area, members)
        else:
            teams.append(members)
    return teams


def _split(area: Area, members: list[int]) -> list[list[int]]:
    """Two halves of a wijk by inhabitants, cut across its longer axis."""
    centroids = area.frame.geometry.iloc[members].representative_point()
    x = centroids.x.to_numpy() * np.cos(np.radians(52.0))
    y = centroids.y.to_numpy()
    axis = x if np.ptp(x) >= np.ptp(y) else y
    ordered = [members[i] for i in sorted(range(len(members)), key=lambda i: (axis[i], members[i]))]
    weights = np.maximum(area.inwoners[ordered], 1.0)
    cut = int(np.searchsorted(np.cumsum(weights), weights.sum() / 2)) + 1
    cut = min(max(cut, 1), len(ordered) - 1)
    return [sorted(ordered[:cut]), sorted(ordered[cut:])]


def generate_sample(buurten: gpd.GeoDataFrame, statistics: pd.DataFrame, seed: int = 2026) -> pd.DataFrame:
    """The illustrative, fictional records for Utrecht and Rotterdam (columns `records.FIELDS`).

    `buurten` is a buurt layer (code, naam, gemeentecode, wijkcode, geometry; WGS84);
    only the buurten of GM0344 and GM0599 are used. `statistics` is the long table (code,
    jaar, indicator, waarde, bron); inwoners, pct_65plus, pct_eenpersoonshuishoudens,
    bijstand_per_1000 and pct_niet_westers steer placement when present (2015 first).
    Deterministic: the same inputs and seed give the same frame, byte for byte."""
    sample = _Sample()
    for gemeentecode in GEMEENTEN:
        area = _area(buurten, statistics, gemeentecode, seed)
        if area is None:
            continue
        sample.wijkteams(area)
        sample.classic(area)
        sample.religious(area)
        sample.popups(area)
        sample.initiatives(area)
    frame = pd.DataFrame(sample.records, columns=FIELDS)
    for column in FIELDS:
        if column not in ("lon", "lat"):
            frame[column] = frame[column].fillna("").astype(str)
    frame["lon"] = frame["lon"].astype(float).round(6)
    frame["lat"] = frame["lat"].astype(float).round(6)
    return frame
