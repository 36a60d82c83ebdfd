"""The rows of a register checked one by one (record rules, provenance, ids) and placed
in buurten in one vectorised step."""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkmap.config import (
    LOCATE_TOLERANCE_M,
    NL_LAT,
    NL_LON,
    RD_NEW,
    WGS84,
)
from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.records import BUURTCODE, FIELDS, make_id, parse_fields
from wijkmap.data.sources import repaircafes
from wijkmap.data.sources.register.files import Table
from wijkmap.data.sources.register.report import (
    RegisterError,
    RegisterResult,
    RowProblem,
    empty_records,
    shown,
    visible,
)

log = logging.getLogger("wijkmap.data.sources.register")

# Sources the project writes itself. An import carrying one would pass for the fictional
# sample (and be deleted by the next rebuild), for a moderated contribution, or for the
# bundled repair cafés; so would an id of the form "bijdrage-N".
RESERVED_BRONNEN = {
    vocab.SAMPLE_BRON: "het fictieve voorbeeld",
    vocab.CONTRIBUTION_BRON: "goedgekeurde bijdragen",
    repaircafes.BRON: "de meegeleverde repair cafés",
}


def bron_key(bron: str) -> str:
    """A bron as compared with the reserved ones: how it reads, not how it is encoded.
    NFKC joins an accent typed as a separate combining mark to its letter ("e" + U+0301
    is "é"), format characters (zero-width space, bidi marks) are dropped, runs of
    spaces are one, case is ignored; so no look-alike passes for a reserved bron."""
    readable = "".join(ch for ch in unicodedata.normalize("NFKC", bron) if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", " ".join(readable.split()).casefold())


RESERVED = {bron_key(key): what for key, what in RESERVED_BRONNEN.items()}
CONTRIBUTION_ID_PREFIX = f"{vocab.CONTRIBUTION_BRON}-"

# Header spellings (normalised: casefolded, without spaces, underscores, hyphens, dots)
# for each field of the template.
_ALIASES: dict[str, tuple[str, ...]] = {
    "naam": ("naam", "name"),
    "soort": ("soort", "kind", "type"),
    "strategie": ("strategie", "strategy"),
    "actortype": ("actortype", "actortypes", "actors", "actor"),
    "doelgroep": ("doelgroep", "doelgroepen", "targetgroup", "targetgroups"),
    "tarief": ("tarief", "fee", "rate"),
    "tijdelijk": ("tijdelijk", "temporary", "popup"),
    "geopend": ("geopend", "opened", "opensince", "open"),
    "gesloten": ("gesloten", "closed"),
    "opvolger_van": ("opvolgervan", "successorof", "replaces", "opvolger"),
    "omschrijving": ("omschrijving", "description", "beschrijving"),
    "url": ("url", "website", "webadres"),
    "bron": ("bron", "source"),
    "laatst_gecontroleerd": ("laatstgecontroleerd", "gecontroleerd", "assureddate"),
    "werkgebied": ("werkgebied", "servicearea"),
    "id": ("id",),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad"),
    "x": ("x", "rdx", "xrd", "xcoord", "xcoordinaat", "xcoördinaat"),
    "y": ("y", "rdy", "yrd", "ycoord", "ycoordinaat", "ycoördinaat"),
    "buurtcode": ("buurtcode", "neighbourhoodcode", "neighborhoodcode", "bucode"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
# The fields a column can be, by its name or mapped by hand (register/template.py puts them in order).
COLUMN_FIELDS = tuple(_ALIASES)
# Fields whose values are codes of the vocabulary of the same name.
_CODED = ("soort", "strategie", "actortype", "doelgroep", "tarief")
_REQUIRED = ("naam", "soort")
_RD_X = (0.0, 300_000.0)
_RD_Y = (289_000.0, 630_000.0)


def reserved_message(bron: str) -> str:
    what = RESERVED[bron_key(bron)]
    return (
        f'bron "{shown(bron.strip())}" is voorbehouden aan {what} en kan niet worden geïmporteerd; '
        'geef het register een eigen bron, bijvoorbeeld "Register gemeente Utrecht 2026"'
    )


# --- checking rows ---------------------------------------------------------------------


def normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text.casefold())


@dataclass
class HeaderMap:
    """Which column holds which field: field -> column index and -> header as written,
    the headers that are neither a template column nor mapped (`unknown`), and notes."""

    index: dict[str, int]
    written: dict[str, str]
    unknown: list[str]
    warnings: list[str]


def check_columns(columns: Mapping[str, str]) -> None:
    """Refuse a header mapping onto something that is no template field."""
    wrong = sorted({target for target in columns.values() if target and target not in COLUMN_FIELDS})
    if wrong:
        listed = ", ".join(f'"{shown(target)}"' for target in wrong)
        raise RegisterError(
            f"kolomkoppeling naar onbekend veld {listed}; kies uit: {', '.join(COLUMN_FIELDS)} (of niets)"
        )


def map_headers(headers: list[str], name: str, columns: Mapping[str, str] | None = None) -> HeaderMap:
    """Read the headers: a header mapped in `columns` (as written, or spelled alike) is
    that field ("" = ignored), whatever its own name says; any other is a field by its
    spelling (_ALIASES) or unknown. Never raises; see `require_columns`."""
    mapped = {normalise_header(header): target for header, target in (columns or {}).items()}
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    warnings: list[str] = []
    # Mapped headers first: a choice made by hand wins over a column that merely has the name.
    by_hand = [(p, h) for p, h in enumerate(headers) if h and normalise_header(h) in mapped]
    by_name = [(p, h) for p, h in enumerate(headers) if h and normalise_header(h) not in mapped]
    for position, header in by_hand + by_name:
        key = normalise_header(header)
        target = mapped[key] if key in mapped else _FIELD_OF.get(key)
        if key in mapped and not target:
            continue  # ignored on purpose
        if target is None:
            if header not in unknown:
                unknown.append(header)
        elif target in index:
            warnings.append(
                f'{name}: kolommen "{written[target]}" en "{header}" betekenen allebei {target}; '
                f'alleen "{written[target]}" is gebruikt'
            )
        else:
            index[target], written[target] = position, header
    if unknown:
        listed = ", ".join(f'"{shown(h)}"' for h in unknown)
        warnings.append(f"{name}: onbekende kolommen genegeerd: {listed}")
    return HeaderMap(index, written, unknown, warnings)


def require_columns(headers: list[str], found: HeaderMap) -> None:
    """Missing naam or soort is one error for the whole file."""
    missing = [required for required in _REQUIRED if required not in found.index]
    if missing:
        names = " en ".join(f'"{m}"' for m in missing)
        listed = ", ".join(f'"{shown(h)}"' for h in headers if h) or "geen"
        raise RegisterError(
            f"kolom {names} ontbreekt (gevonden kolommen: {listed}); zie het registersjabloon voor de kolomnamen"
            + (" of koppel een kolom aan dit veld" if found.unknown else "")
        )


def _number(text: str) -> float:
    """A coordinate written with a decimal point or comma ("52,0907"); ValueError if not."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:  # 136.950,25: point as thousands separator
        text = text.replace(".", "")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def phrase(message: str, value: str) -> str:
    """Put the user's value into a records.Problem message: 'onbekende waarde "x"; kies …'."""
    if not value:
        return message
    value = shown(value)
    for separator in (";", " ("):
        head, found, tail = message.partition(separator)
        if found:
            return f'{head} "{value}"{separator}{tail}'
    return f'"{value}": {message}'


def did_you_mean(codes: tuple[str, ...] | list[str]) -> str:
    """The end of a message about an unknown value: '; bedoelde u a, b of c?' ('' for none)."""
    if not codes:
        return ""
    listed = codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} of {codes[-1]}"
    return f"; bedoelde u {listed}?"


@dataclass
class _Pending:
    """A row whose fields are valid, waiting for its position to be placed in a buurt."""

    number: int
    record: dict[str, str]
    lon: float
    lat: float
    source: str  # "lat", "xy", "geometry" or "buurtcode": how the position was given
    shown: str  # the position as the user wrote it
    valid: bool = True  # False: the fields have problems; only the position is still checked


class _RowChecker:
    """Checks the rows of one table; collects problems with file, row and column.

    `bron` is the --bron argument; `id_owners` maps ids in the store to their bron."""

    def __init__(
        self, table: Table, name: str, buurten: gpd.GeoDataFrame,
        bron: str | None = None, id_owners: Mapping[str, str] | None = None, found: HeaderMap | None = None,
    ):  # fmt: skip
        self.table, self.name = table, name
        found = found or map_headers(table.headers, name)
        require_columns(table.headers, found)
        self.index, self.written = found.index, found.written
        self.warnings = table.warnings + found.warnings
        self.problems: list[RowProblem] = []
        self.known_buurten = set(buurten["code"])
        self.bron = (bron or "").strip()
        self.id_owners = id_owners or {}

    def bron_of(self, record: dict[str, str]) -> str:
        """The --bron argument, else the row's bron column, else "register <file name>"."""
        return self.bron or record.get("bron") or f"register {self.name}"

    def problem(
        self, number: int, field_: str | None, value: str, message: str, other: str | None = None,
        suggestions: tuple[str, ...] = (),
    ):  # fmt: skip
        """Record a problem; fields are named by the header as the user wrote it."""
        column = self.written.get(field_, field_) if field_ else None
        other_column = self.written.get(other, other) if other else None
        self.problems.append(
            RowProblem(self.name, number, column, value, message, self.table.unit, other_column, suggestions)
        )

    def raw(self, cells: list[str]) -> dict[str, str]:
        """Field -> text of one row (a short row has "" for its missing cells)."""
        return {f: (cells[i] if i < len(cells) else "") for f, i in self.index.items()}

    def check(self, number: int, cells: list[str], position) -> _Pending | None:
        """Fields and position of one row; None (with problems recorded) when invalid."""
        raw = self.raw(cells)
        fields = {f: v for f, v in raw.items() if f in FIELDS}
        record, problems = parse_fields(fields)
        for p in problems:
            suggestions: tuple[str, ...] = ()
            if p.message.startswith("gesloten ligt"):
                message = f'gesloten "{shown(p.value)}" ligt vóór geopend "{shown(raw.get("geopend", ""))}"'
            elif p.field in _CODED and p.message.startswith("onbekende waarde"):
                suggestions = tuple(vocab.nearest(p.field, p.value))
                message = phrase(p.message, p.value) + did_you_mean(suggestions)
            else:
                message = phrase(p.message, p.value)
            self.problem(number, p.field, p.value, message, suggestions=suggestions)
        forged = self.check_provenance(number, record)
        located = self.position(number, raw, position)
        if located is None:
            return None
        lon, lat, source, as_shown = located
        # A row with bad fields still has its position placed, so that a location outside
        # the Netherlands is reported in the same run instead of after the next fix.
        return _Pending(number, record, lon, lat, source, as_shown, valid=not problems and not forged)

    def check_provenance(self, number: int, record: dict[str, str]) -> bool:
        """Whether the row claims a source that is not the import's own: a reserved bron in
        its bron column, an id of the form bijdrage-N, or the id of a record in the store
        with another bron (which the import would silently overwrite). Records problems."""
        forged = False
        if not self.bron and bron_key(record.get("bron", "")) in RESERVED:
            self.problem(number, "bron", record["bron"], reserved_message(record["bron"]))
            forged = True
        given = record.get("id", "")
        if not given:  # a made id hashes the bron, so it cannot be another source's
            return forged
        owner = self.id_owners.get(given)
        if given.casefold().startswith(CONTRIBUTION_ID_PREFIX):
            message = (
                f'id "{shown(given)}" is voorbehouden aan goedgekeurde bijdragen '
                f"({CONTRIBUTION_ID_PREFIX}N); geef de rij een eigen id"
            )
        elif owner is not None and owner.strip().casefold() != self.bron_of(record).casefold():
            hint = (
                f', of geef als bron "{owner}" op als dit bestand een nieuwe versie van dat register is '
                "(op de pagina Beheer in het veld Bron, op de opdrachtregel met --bron)"
                if bron_key(owner) not in RESERVED
                else ""
            )
            message = (
                f'id "{shown(given)}" hoort bij een record met een andere bron ("{owner}"); een import '
                f"overschrijft alleen records van zijn eigen bron. Geef de rij een eigen id{hint}"
            )
        else:
            return forged
        self.problem(number, "id", given, message)
        return True

    def position(self, number: int, raw: dict[str, str], position):
        """(lon, lat, how, as written) of a row: geometry, lat+lon, x+y, or buurtcode.
        Positions from x+y are still in RD New here; they are reprojected in bulk."""
        if position is not None:
            if not all(map(math.isfinite, position)):
                self.problem(
                    number,
                    None,
                    "",
                    "de geometrie heeft een coördinaat die geen getal is (NaN of Infinity); "
                    "geef het object een geldige punt-, lijn- of vlakgeometrie",
                )
                return None
            return (*position, "geometry", f"{position[1]:.6f} / {position[0]:.6f}")
        lat, lon = raw.get("lat", ""), raw.get("lon", "")
        x, y = raw.get("x", ""), raw.get("y", "")
        if lat or lon:
            return self.pair(number, ("lat", lat), ("lon", lon), self.check_latlon, "lat")
        if x or y:
            return self.pair(number, ("x", x), ("y", y), self.check_rd, "xy")
        code = raw.get("buurtcode", "")
        if code:
            return self.from_buurtcode(number, code)
        if self.table.positions is not None:
            message = (
                "geen locatie: het object heeft geen geometrie (of een lege, zoals een punt met "
                "coördinaten NaN) en geen lat en lon, x en y of buurtcode"
            )
        else:
            message = "geen locatie; vul lat en lon (WGS84), x en y (RD New) of een buurtcode in"
        self.problem(number, None, "", message)
        return None

    def pair(self, number, first, second, check, source):
        """Two coordinate texts as numbers, both present, then checked by `check`."""
        values = []
        for (field_, text), (other, _) in ((first, second), (second, first)):
            if not text:
                self.problem(number, field_, "", f"{field_} ontbreekt terwijl {other} is ingevuld")
                return None
            try:
                values.append(_number(text))
            except ValueError:
                self.problem(number, field_, text, f'"{shown(text)}" is geen getal')
                return None
        first, second = (first[0], shown(first[1])), (second[0], shown(second[1]))  # for messages
        if not check(number, first, second, *values):
            return None
        as_shown = f"{first[1]} / {second[1]}"
        if source == "lat":
            return values[1], values[0], source, as_shown
        return values[0], values[1], source, as_shown

    def check_latlon(self, number, lat_item, lon_item, lat: float, lon: float) -> bool:
        """Catch swapped or impossible WGS84 coordinates (outside NL is checked later)."""
        if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
            self.problem(
                number,
                "lat",
                f"{lat_item[1]} / {lon_item[1]}",
                f'lat "{lat_item[1]}" en lon "{lon_item[1]}" zijn waarschijnlijk verwisseld: '
                f"in Nederland ligt lat rond 52 en lon rond 5; zet {lon_item[1]} bij lat en {lat_item[1]} bij lon",
                "lon",
            )
            return False
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            looks_rd = _RD_X[0] <= lat <= _RD_Y[1] and lon > 180
            hint = "; dit lijken RD-coördinaten: gebruik de kolommen x en y" if looks_rd or lat > 1000 else ""
            self.problem(
                number,
                "lat",
                f"{lat_item[1]} / {lon_item[1]}",
                f'"{lat_item[1]}", "{lon_item[1]}" zijn geen geldige breedte- en lengtegraad{hint}',
                "lon",
            )
            return False
        return True

    def check_rd(self, number, x_item, y_item, x: float, y: float) -> bool:
        """Catch swapped RD coordinates and lon/lat written in the x/y columns."""
        as_shown = f"{x_item[1]} / {y_item[1]}"
        if abs(x) <= 180 and abs(y) <= 90:
            self.problem(
                number,
                "x",
                as_shown,
                f'x "{x_item[1]}" en y "{y_item[1]}" lijken lengte- en breedtegraad; '
                "gebruik daarvoor de kolommen lon en lat",
                "y",
            )
            return False
        if _RD_Y[0] <= x <= _RD_Y[1] and _RD_X[0] <= y < _RD_Y[0]:
            self.problem(
                number,
                "x",
                as_shown,
                f'x "{x_item[1]}" en y "{y_item[1]}" zijn waarschijnlijk verwisseld: '
                "in Nederland is x (RD) kleiner dan 300.000 en y groter dan 300.000",
                "y",
            )
            return False
        return True

    def from_buurtcode(self, number: int, text: str):
        """A known buurtcode; its anchor point is filled in later for all rows at once.
        Digits only (a code that lost its 'BU' and leading zeros in Excel) are padded
        back to BU + 8 digits."""
        code = text.strip().upper().replace(" ", "")
        if code.isdigit() and len(code) <= 8:
            code = f"BU{code.zfill(8)}"
        if not BUURTCODE.match(code) or code not in self.known_buurten:
            self.problem(
                number,
                "buurtcode",
                text,
                f'onbekende buurtcode "{shown(text)}"; verwacht een code uit de buurtindeling 2015, zoals BU03440611',
            )
            return None
        return math.nan, math.nan, "buurtcode", code


def to_records(
    table: Table,
    name: str,
    buurten: gpd.GeoDataFrame,
    bron: str | None,
    known_ids: Iterable[str] | None = None,
    id_owners: Mapping[str, str] | None = None,
    found: HeaderMap | None = None,
) -> RegisterResult:
    """Check every non-empty row, place the located ones, and build the records frame
    from the valid ones. Every problem of the file is reported, not only the first.
    `found` is how the headers were read (map_headers), by their names when not given."""
    found = found or map_headers(table.headers, name)
    checker = _RowChecker(table, name, buurten, bron, id_owners, found)
    pending: list[_Pending] = []
    file_ids: set[str] = set()
    for i, (number, cells) in enumerate(table.rows):
        if not any(cells):
            continue
        file_ids.add(checker.raw(cells).get("id", "").strip())
        position = table.positions[i] if table.positions is not None else None
        row = checker.check(number, cells, position)
        if row is not None:
            pending.append(row)
    if not pending and not checker.problems:
        checker.warnings.append(f"{name}: het bestand bevat geen rijen met gegevens")
    placed = [(row, codes) for row, codes in _place(pending, buurten, checker) if row.valid]
    frame = _finish(placed, checker)
    checker.warnings.extend(_unknown_predecessors(placed, frame, file_ids, known_ids, checker))
    checker.problems.sort(key=lambda p: (p.row or 0))
    return RegisterResult(
        frame,
        checker.problems,
        [visible(warning) for warning in checker.warnings],
        headers=list(table.headers),
        unknown_headers=list(found.unknown),
    )


def _unknown_predecessors(placed, frame: pd.DataFrame, file_ids: set[str], known_ids, checker) -> list[str]:
    """Warnings for each `opvolger_van` that names no id in the file (given or made)
    nor, when `known_ids` is given, in the store."""
    known = file_ids | set(frame["id"]) | set(known_ids or ())
    where = " en niet in het gegevensbestand" if known_ids is not None else ""
    column = checker.written.get("opvolger_van", "opvolger_van")
    warnings = []
    for row, _ in placed:
        value = row.record.get("opvolger_van", "")
        if value and value not in known:
            warnings.append(
                f'{checker.name}, {checker.table.unit} {row.number}, kolom "{column}": '
                f'opvolger_van "{value}" staat niet in dit bestand{where}; '
                "controleer het id van de voorganger (de rij wordt wel geïmporteerd)"
            )
    return warnings


def _anchor_points(buurten: gpd.GeoDataFrame, codes: list[str]) -> gpd.GeoSeries:
    """The point of analysis.anchor_point for each code (a point inside the buurt),
    computed for all codes in one vectorised call instead of one lookup per row."""
    first = buurten.drop_duplicates("code").set_index("code")
    return first.loc[codes, "geometry"].representative_point()


def _place(pending: list[_Pending], buurten: gpd.GeoDataFrame, checker: _RowChecker) -> list[tuple[_Pending, dict]]:
    """Turn every position into WGS84 (RD reprojected, buurtcodes anchored) and find
    each row's buurt, all rows at once. A row given by buurtcode keeps that buurt."""
    if not pending:
        return []
    xs = np.array([row.lon for row in pending], dtype=float)
    ys = np.array([row.lat for row in pending], dtype=float)
    rd = np.array([row.source == "xy" for row in pending])
    if rd.any():
        converted = gpd.GeoSeries(gpd.points_from_xy(xs[rd], ys[rd]), crs=RD_NEW).to_crs(WGS84)
        xs[rd], ys[rd] = converted.x.to_numpy(), converted.y.to_numpy()
    by_code = np.array([row.source == "buurtcode" for row in pending])
    if by_code.any():
        anchors = _anchor_points(buurten, [row.shown for row in pending if row.source == "buurtcode"])
        xs[by_code], ys[by_code] = anchors.x.to_numpy(), anchors.y.to_numpy()
    points = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=WGS84)
    located = analysis.locate(points, buurten, tolerance_m=LOCATE_TOLERANCE_M)
    areas: dict[str, dict[Hashable, Any]] = {
        code: {"buurtcode": code, "wijkcode": wijk, "gemeentecode": gemeente}
        for code, wijk, gemeente in zip(buurten["code"], buurten["wijkcode"], buurten["gemeentecode"])
    }
    placed = []
    for i, (row, codes) in enumerate(zip(pending, located.to_dict("records"))):
        if row.source == "buurtcode":
            codes = areas[row.shown]
        elif codes["buurtcode"] is None:
            fields_ = {"lat": ("lat", "lon"), "xy": ("x", "y")}.get(row.source, (None, None))
            checker.problem(
                row.number,
                fields_[0],
                row.shown,
                f'"{row.shown}" ligt buiten Nederland (of buiten de buurtkaart): '
                f"geen buurt binnen {LOCATE_TOLERANCE_M} m",
                fields_[1],
            )
            continue
        row.lon, row.lat = round(float(xs[i]), 6), round(float(ys[i]), 6)
        placed.append((row, codes))
    return placed


def _finish(placed, checker: _RowChecker) -> pd.DataFrame:
    """Records with bron, id and area codes; duplicate ids within the file are errors."""
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for row, codes in placed:
        record = dict(row.record)
        record["bron"] = checker.bron_of(record)
        given = record.get("id", "")
        record["id"] = given or make_id(record["bron"], record["naam"], record["soort"], row.lon, row.lat)
        if record["id"] in seen:
            if given:
                message = f'id "{given}" komt al voor in {checker.table.unit} {seen[record["id"]]}'
                checker.problem(row.number, "id", given, message)
            else:
                message = (
                    f"dubbel: zelfde naam, soort en locatie als {checker.table.unit} "
                    f"{seen[record['id']]}; geef een id-kolom als het echt twee voorzieningen zijn"
                )
                checker.problem(row.number, "naam", record["naam"], message)
            continue
        seen[record["id"]] = row.number
        record.update(codes, lon=row.lon, lat=row.lat)
        rows.append(record)
    if not rows:
        return empty_records()
    frame = pd.DataFrame(rows)
    for column in FIELDS:
        if column not in frame:
            frame[column] = ""
    frame = frame[FIELDS]
    text = [f for f in FIELDS if f not in ("lon", "lat")]
    frame[text] = frame[text].fillna("").astype(object)
    return frame.astype({"lon": float, "lat": float}).reset_index(drop=True)
