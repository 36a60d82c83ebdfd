"""`wijkmap fetch cbs`: a Kerncijfers wijken en buurten table from CBS's OData v3 API.

Reads CBS's OData v3 service (the one the cbsodata package speaks) under ROOT
(https://opendata.cbs.nl, or a mirror or proxy): TableInfos (the year is its Period) and
DataProperties (keys, titles, units) from ROOT/ODataApi/odata/<tabel>/, TypedDataSet from
ROOT/ODataFeed/odata/<tabel>/ (see FEED), filtered by gemeente where asked and paged by
`odata.nextLink`. The answer is written under data/sources/cbs/odata/<tabel>/
(see odata.py), so `build-data` reads it again without the network; a second fetch for
other gemeenten adds its rows to what is there. Then the store is rebuilt, keeping
imported records and contributions.

Nothing is written unless the whole answer was read and checked: the files go to a
temporary folder that replaces the table's folder in one step, and if the rebuild then
fails the previous folder is put back.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import requests
from tqdm import tqdm

from wijkmap import config
from wijkmap.core import indeling
from wijkmap.data import build, store
from wijkmap.data.sources.cbs import odata
from wijkmap.data.sources.cbs.areas import AREA_CODE, CBS_DIR
from wijkmap.data.sources.cbs.tables import StatisticsTable, read_table, table_statistics
from wijkmap.data.sources.cbs.values import MISSING_TEXT

log = logging.getLogger(__name__)

TABEL = re.compile(r"^\d{5}[A-Z]{3}$")  # a StatLine table id: 85984NED
NOTHING_WRITTEN = "Er is niets geschreven."


class FetchError(Exception):
    """A fetch that was refused or failed; the message is Dutch and says where."""


@dataclass(frozen=True)
class FetchResult:
    tabel: str
    jaar: int
    bron: str
    fetched: int  # areas in CBS's answer
    levels: dict[str, int]  # of those, per gemeente/wijk/buurt
    added: int
    replaced: int
    total: int  # areas now stored for the table
    skipped: int  # rows without an area (the national total NL00)
    mapped: list[str]  # our indicators the table holds
    extra: list[str]  # CBS variables kept under their own indicator code
    missing_gemeenten: list[str]  # asked for, but not in CBS's answer
    directory: Path


def normalise_gemeenten(codes: Sequence[str]) -> list[str]:
    """GM codes from what a user typed (GM0150 or 0150); a malformed one is refused."""
    normalised = []
    for code in codes:
        typed = indeling.typed_gemeentecode(code)
        if typed is None:
            raise FetchError(f"--gemeente {code!r} is geen gemeentecode (GM en vier cijfers, bv. GM0150)")
        normalised.append(typed)
    return sorted(set(normalised))


def gemeente_filter(gemeenten: Sequence[str]) -> str:
    """The $filter for every area of these gemeenten: the gemeente, its wijken and its buurten."""
    digits = [code[2:] for code in gemeenten]
    return " or ".join(
        f"startswith({odata.GEO_KEY},'{prefix}{number}')" for number in digits for prefix in ("GM", "WK", "BU")
    )


# CBS serves each table twice under the same root: the API (ODataApi) answers at most
# 10,000 cells per request, less than one gemeente's rows of a KWB table (Deventer: 85
# areas x ~130 variables), and the feed (ODataFeed, what cbsodata downloads from) has no
# cap and pages by odata.nextLink. Metadata comes from the API, the rows from the feed.
API = "ODataApi"
FEED = "ODataFeed"


def odata_url(root: str, tabel: str, entity: str, filter_: str | None = None, service: str = API) -> str:
    url = f"{root.rstrip('/')}/{service}/odata/{tabel}/{entity}?$format=json"
    if filter_:
        url += "&$filter=" + quote(filter_, safe="(),'")
    return url


def _rebased(link: str, root: str) -> str:
    """A next link on the root we were given: CBS writes its own host into it, which a
    mirror or proxy (or the recorded server of the tests) would otherwise bypass."""
    parts = urlsplit(link)
    starts = [parts.path.find(f"/{service}/") for service in (API, FEED)]
    start = max(starts)
    if start < 0:
        return link
    return root.rstrip("/") + parts.path[start:] + (f"?{parts.query}" if parts.query else "")


def _error_text(response: requests.Response) -> str:
    """CBS's own error message from an error answer, if it gave one."""
    try:
        message = response.json()["odata.error"]["message"]
        text = message["value"] if isinstance(message, dict) else message
    except (ValueError, KeyError, TypeError):
        text = response.text
    text = " ".join(str(text).split())
    return text[: config.MAX_SHOWN]


def _get(session: requests.Session, url: str) -> dict:
    """One OData answer as a JSON object with a `value` list, or a FetchError."""
    try:
        with session.get(
            url, timeout=config.CBS_TIMEOUT_S, stream=True, headers={"Accept": "application/json"}
        ) as answer:
            if answer.status_code >= 400:
                said = _error_text(answer)
                hint = " Bestaat de tabel, en klopt --url?" if answer.status_code == 404 else ""
                raise FetchError(
                    f"CBS antwoordde met HTTP {answer.status_code} op {url}{': ' + said if said else ''}.{hint} "
                    + NOTHING_WRITTEN
                )
            body = bytearray()
            for chunk in answer.iter_content(1 << 16):
                body += chunk
                if len(body) > config.CBS_MAX_RESPONSE_BYTES:
                    raise FetchError(
                        f"Het antwoord op {url} is groter dan {config.CBS_MAX_RESPONSE_BYTES:,} bytes "
                        f"(CBS_MAX_RESPONSE_BYTES). " + NOTHING_WRITTEN
                    )
    except requests.exceptions.Timeout as error:
        raise FetchError(
            f"CBS antwoordde niet binnen {config.CBS_TIMEOUT_S:.0f} s op {url} ({error.__class__.__name__}). "
            + NOTHING_WRITTEN
        ) from error
    except requests.exceptions.RequestException as error:
        raise FetchError(
            f"CBS is niet bereikbaar op {url}: {error.__class__.__name__}. Controleer de internetverbinding, "
            f"of geef met --url een andere server. " + NOTHING_WRITTEN
        ) from error
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        start = bytes(body[:40]).decode("utf-8", "replace")
        raise FetchError(f"Het antwoord op {url} is geen JSON (begint met {start!r}). " + NOTHING_WRITTEN) from error
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        found = sorted(data)[:5] if isinstance(data, dict) else type(data).__name__
        raise FetchError(
            f"Het antwoord op {url} is geen OData-lijst: het veld 'value' ontbreekt (gevonden: {found}). "
            + NOTHING_WRITTEN
        )
    return data


def _next_link(data: dict) -> str | None:
    link = data.get("odata.nextLink") or data.get("@odata.nextLink")
    return link if isinstance(link, str) and link else None


def _cell(value: object, key: str, code: str, numeric: bool, url: str) -> str:
    """One value as text for the stored CSV: trimmed; missing ("." or null) empty."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FetchError(f"{url}: gebied {code}, veld {key}: onverwachte waarde {value!r}. " + NOTHING_WRITTEN)
    text = value.strip() if isinstance(value, str) else repr(value)
    if text in MISSING_TEXT:
        return ""
    if numeric:
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise FetchError(
                f"{url}: gebied {code}, veld {key}: {text[: config.MAX_SHOWN]!r} is geen getal. " + NOTHING_WRITTEN
            )
    return text


def _rows(session, root, tabel, gemeenten, properties, figures, progress) -> tuple[pd.DataFrame, int]:
    """TypedDataSet as text cells, one row per area, and the count of rows without an area."""
    numeric = {figure.key for figure in figures}
    keys = [odata.GEO_KEY] + [
        str(item["Key"]) for item in properties if item.get("Type") == "Topic" and item.get("Key")
    ]
    url: str | None = odata_url(
        root, tabel, "TypedDataSet", gemeente_filter(gemeenten) if gemeenten else None, service=FEED
    )
    wanted = {code[2:] for code in gemeenten}
    rows: list[list[str]] = []
    skipped = pages = 0
    with tqdm(desc=f"CBS {tabel}", unit=" rijen", disable=None if progress is None else not progress) as bar:
        while url:
            pages += 1
            if pages > config.CBS_MAX_PAGES:
                raise FetchError(
                    f"Meer dan {config.CBS_MAX_PAGES} pagina's van {tabel} (CBS_MAX_PAGES). " + NOTHING_WRITTEN
                )
            data = _get(session, url)
            log.info("CBS %s: pagina %d, %d rijen", tabel, pages, len(data["value"]))
            for row in data["value"]:
                if not isinstance(row, dict) or not isinstance(row.get(odata.GEO_KEY), str):
                    raise FetchError(
                        f"{url}: een rij zonder {odata.GEO_KEY}: {str(row)[: config.MAX_SHOWN]}. " + NOTHING_WRITTEN
                    )
                code = row[odata.GEO_KEY].strip()
                if not AREA_CODE.match(code):
                    if code.startswith("NL"):
                        skipped += 1
                        continue
                    raise FetchError(f"{url}: {code!r} is geen gebiedscode (GM, WK of BU). " + NOTHING_WRITTEN)
                if wanted and code[2:6] not in wanted:
                    continue  # a server that ignored the filter: keep only what was asked
                rows.append([code] + [_cell(row.get(key), key, code, key in numeric, url) for key in keys[1:]])
                if len(rows) > config.CBS_MAX_ROWS:
                    raise FetchError(
                        f"Meer dan {config.CBS_MAX_ROWS:,} gebieden in {tabel} (CBS_MAX_ROWS). " + NOTHING_WRITTEN
                    )
            bar.update(len(data["value"]))
            link = _next_link(data)
            url = _rebased(link, root) if link else None
    frame = pd.DataFrame(rows, columns=keys, dtype=object)
    duplicated = frame[odata.GEO_KEY][frame[odata.GEO_KEY].duplicated()]
    if not duplicated.empty:
        raise FetchError(f"CBS gaf gebied {duplicated.iloc[0]} twee keer in {tabel}. " + NOTHING_WRITTEN)
    return frame, skipped


def _merged(previous: Path, fresh: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """What was stored, with the freshly fetched areas replacing or joining it."""
    if not previous.is_file():
        return fresh, 0
    old = pd.read_csv(previous, dtype=str, keep_default_na=False)
    replaced = old[odata.GEO_KEY].isin(fresh[odata.GEO_KEY])
    merged = pd.concat([old[~replaced], fresh], ignore_index=True).fillna("")
    return merged.sort_values(odata.GEO_KEY, ignore_index=True), int(replaced.sum())


def _check_stored(cbs_dir: Path, directory: Path, tabel: str) -> odata.StoredTable:
    """Read the written folder as the build will, so a fetch never leaves a table the build refuses."""
    table = odata.read_stored(directory, tabel)
    rows_path = directory.relative_to(cbs_dir).as_posix() + "/" + odata.ROWS
    check = StatisticsTable(table.bron, table.jaar, rows_path, odata.GEO_KEY, table.recipes)
    table_statistics(check, read_table(cbs_dir, check))
    return table


def fetch_cbs(
    tabel: str,
    gemeenten: Sequence[str] = (),
    root: str = config.CBS_ROOT,
    sources_dir: Path | None = None,
    store_path: Path | None = None,
    rebuild: bool = True,
    progress: bool | None = None,
    session: requests.Session | None = None,
) -> FetchResult:
    """Fetch `tabel` (for `gemeenten`, or all of it) into sources_dir/cbs/odata/ and rebuild the store.

    `progress` None shows a progress bar only on a terminal. Raises FetchError (nothing
    written, the store unchanged) on any problem with the service or its answer.
    """
    tabel = tabel.strip().upper()
    if not TABEL.match(tabel):
        raise FetchError(f"--tabel {tabel!r} is geen CBS-tabelnummer (vijf cijfers en drie letters, bv. 85984NED)")
    gemeenten = normalise_gemeenten(gemeenten)
    sources_dir = Path(sources_dir or config.SOURCES_DIR)
    cbs_dir = sources_dir / CBS_DIR
    session = session or requests.Session()

    infos = _get(session, odata_url(root, tabel, "TableInfos"))["value"]
    properties = _get(session, odata_url(root, tabel, "DataProperties"))["value"]
    if len(properties) > config.CBS_MAX_PROPERTIES:
        raise FetchError(
            f"{tabel} heeft meer dan {config.CBS_MAX_PROPERTIES} eigenschappen (CBS_MAX_PROPERTIES). " + NOTHING_WRITTEN
        )
    try:
        jaar = odata.table_year(infos, tabel)
        figures = odata.figures(properties, tabel)
    except odata.OdataFormatError as error:
        raise FetchError(f"{error}. {NOTHING_WRITTEN}") from error
    fresh, skipped = _rows(session, root, tabel, gemeenten, properties, figures, progress)
    if fresh.empty:
        asked = f" voor {', '.join(gemeenten)}" if gemeenten else ""
        raise FetchError(f"CBS gaf geen gebieden{asked} in tabel {tabel} ({jaar}). " + NOTHING_WRITTEN)

    target = odata.table_dir(cbs_dir, tabel)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{tabel}.nieuw-{os.getpid()}"
    previous = target.parent / f".{tabel}.oud-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        merged, replaced = _merged(target / odata.ROWS, fresh)
        (temporary / odata.TABLE_INFOS).write_text(json.dumps(infos, ensure_ascii=False, indent=1), encoding="utf-8")
        (temporary / odata.DATA_PROPERTIES).write_text(
            json.dumps(properties, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        merged.to_csv(temporary / odata.ROWS, index=False, encoding="utf-8")
        try:
            table = _check_stored(cbs_dir, temporary, tabel)
        except ValueError as error:
            raise FetchError(f"De rijen van {tabel} zijn niet te lezen: {error}. " + NOTHING_WRITTEN) from error
        had_previous = target.exists()
        if had_previous:
            os.replace(target, previous)
        os.replace(temporary, target)
        log.info("%s geschreven: %d gebieden (%d vervangen)", target, len(merged), replaced)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    try:
        if rebuild:
            path = store.store_location(store_path)
            build.rebuild(path, sources_dir, also=gemeenten)
    except Exception as error:
        shutil.rmtree(target, ignore_errors=True)
        if had_previous:
            os.replace(previous, target)
        raise FetchError(
            f"Het gegevensbestand is niet herbouwd ({error}); de opgehaalde rijen zijn teruggedraaid. "
            + NOTHING_WRITTEN
        ) from error
    shutil.rmtree(previous, ignore_errors=True)

    codes = fresh[odata.GEO_KEY]
    levels = {niveau: int(codes.str.startswith(prefix).sum()) for niveau, prefix in
              (("gemeente", "GM"), ("wijk", "WK"), ("buurt", "BU"))}  # fmt: skip
    present = {code[2:6] for code in codes}
    return FetchResult(
        tabel=tabel,
        jaar=jaar,
        bron=table.bron,
        fetched=len(fresh),
        levels=levels,
        added=len(fresh) - replaced,
        replaced=replaced,
        total=len(merged),
        skipped=skipped,
        mapped=sorted(table.mapped()),
        extra=sorted(table.extras()),
        missing_gemeenten=[code for code in gemeenten if code[2:] not in present],
        directory=target,
    )
