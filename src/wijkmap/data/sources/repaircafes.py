"""The repair cafés of Amsterdam, from the volunteer agenda "Repair Cafés in Amsterdam".

This is the one real source in the project where provisions visibly appear, move and
disappear: the agenda's git history (2024-04 … 2026-07) gives, per address, the first and
last date the café was listed. Those dates are *listing* dates, not opening or closing
dates, so this module only turns them into `geopend`/`gesloten` where that is honest:

- `geopend` is the first listing only for cafés first seen after 2024-07-01; before that
  the list itself was still being filled in, so an early first listing says nothing about
  when a café started.
- `gesloten` is the last listing of a café that is no longer on the agenda. That usually
  means it stopped, not always; the omschrijving says so.
- The same name at another address is a move when the old address stopped being listed
  before the new one appeared: the new record then names the old one in `opvolger_van`.
  When the periods overlap (the old address is listed again later), the other address
  was a temporary or alternative one: both records stay, without a successor link, and
  the omschrijving explains it.

The CSV has one row per address. One address (Dapperstraat 76) hosts two cafés of the
Afvalpaleis, electronics and textiles, merged by the scout into one row with the second
name under `former_names`; they become two records, because they are two cafés on the
agenda (the source counts 43 cafés at 42 addresses).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijkmap.core.records import FIELDS

FOLDER = "repaircafes-amsterdam"
FILENAME = "repaircafes_amsterdam_2024_2026.csv"
BRON = "Repair Cafés in Amsterdam"
SOORT = "repair_cafe"
ACTORTYPE = "vrijwilligersorganisatie"  # repair cafés are run by volunteers

FIRST_SNAPSHOTS = "april–juni 2024"  # when the agenda's list was being built up

# Two cafés share Dapperstraat 76: the row's name and its `former_names` are both on the
# agenda (its n_snapshots is twice that of a café listed for the same period).
SHARED_ADDRESS_NAMES = {"Dapperstraat 76"}

# The only tarief the data supports: De steek's own page is "gratis-kleding-repaircafe".
TARIEF_FROM_URL = re.compile(r"gratis", re.IGNORECASE)

# Doelgroep: everyone, except where the source says otherwise ("Uitsluitend kinderspeelgoed").
CHILDREN_ONLY = re.compile(r"uitsluitend kinderspeelgoed", re.IGNORECASE)

_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass
class _Listing:
    """One café at one address, as read from a CSV row."""

    name: str
    former_names: str
    address: str
    district: str
    lat: float
    lon: float
    first_seen: str
    last_seen: str
    active: bool
    opening_proxy: bool
    schedule: str
    repairs: str
    website: str
    schedule_known: bool = True
    id: str = ""
    predecessor: _Listing | None = None
    successor: _Listing | None = None


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-' ('Sloten – Oud Osdorp' → 'sloten-oud-osdorp')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def record_id(name: str, address: str) -> str:
    """A stable id: 'rca-' + the name's slug + a short hash of the address, because one
    name can occur at several addresses (a café that moved)."""
    digest = hashlib.sha1(address.strip().casefold().encode("utf-8")).hexdigest()[:6]
    return f"rca-{slugify(name)}-{digest}"


def dutch_date(iso: str) -> str:
    """'2025-08-01' → '1 augustus 2025'."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


def _flag(text: str) -> bool:
    return str(text).strip().casefold() == "true"


def _one_line(text: str) -> str:
    """Multi-line cells (a second schedule, a longer repairs note) as one sentence-ish line."""
    line = ""
    for part in (p.strip() for p in str(text or "").splitlines()):
        if part:
            line = f"{line}{' ' if line.endswith(('.', '!', '?')) else '; '}{part}" if line else part
    return line


def _read_listings(path: Path) -> list[_Listing]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    listings: list[_Listing] = []
    for row in frame.to_dict("records"):
        listing = _Listing(
            name=row["name"].strip(),
            former_names=row["former_names"].strip(),
            address=row["address"].strip(),
            district=row["city_district"].strip(),
            lat=round(float(row["lat"]), 7),  # 1 cm; drops geocoder float noise
            lon=round(float(row["lon"]), 7),
            first_seen=row["first_seen"].strip(),
            last_seen=row["last_seen"].strip(),
            active=_flag(row["active_in_latest"]),
            opening_proxy=_flag(row["first_seen_is_opening_proxy"]),
            schedule=_one_line(row["schedule_nl"]),
            repairs=_one_line(row["repairs_nl"]),
            website=row["website"].strip(),
        )
        listings.append(listing)
        if listing.address in SHARED_ADDRESS_NAMES and listing.former_names:
            # The second café at this address: same listing period, but the row's
            # schedule and repairs ("Kleding") belong to the named one.
            listings.append(
                _Listing(
                    **{
                        **listing.__dict__,
                        "name": listing.former_names,
                        "former_names": "",
                        "schedule": "",
                        "repairs": "",
                        "schedule_known": False,
                    }
                )
            )
            listing.former_names = ""
    for listing in listings:
        listing.id = record_id(listing.name, listing.address)
    return listings


def _link_moves(listings: list[_Listing]) -> None:
    """Same name at several addresses: link each address to the one it replaced.

    An address replaced another when the other was last listed before this one was
    first listed; of several such, the one listed last. Overlapping periods get no link."""
    by_name: dict[str, list[_Listing]] = {}
    for listing in listings:
        by_name.setdefault(listing.name, []).append(listing)
    for name in sorted(by_name):
        group = sorted(by_name[name], key=lambda other: (other.first_seen, other.last_seen, other.address))
        for listing in group:
            earlier = [
                other
                for other in group
                if other is not listing and not other.active and other.last_seen < listing.first_seen
            ]
            if earlier:
                predecessor = max(earlier, key=lambda other: (other.last_seen, other.address))
                if predecessor.successor is None:
                    listing.predecessor = predecessor
                    predecessor.successor = listing


def _others_at_other_addresses(listing: _Listing, listings: list[_Listing]) -> list[_Listing]:
    return sorted(
        (o for o in listings if o.name == listing.name and o.address != listing.address),
        key=lambda o: (o.first_seen, o.address),
    )


def _description(listing: _Listing, listings: list[_Listing]) -> str:
    """The omschrijving: schedule, repairs, address, and what the dates do and do not say."""
    sentences: list[str] = []
    if listing.schedule_known:
        if listing.schedule:
            sentences.append(f"Wanneer: {listing.schedule}.")
        if listing.repairs:
            sentences.append(f"Reparaties: {listing.repairs.rstrip('.')}.")
    else:
        sentences.append(
            "Tweede repair café op dit adres, naast Afvalpaleis (textiel); de bron geeft "
            "tijden en reparaties alleen voor het textielcafé."
        )
    sentences.append(f"Adres: {listing.address} ({listing.district}).")
    if listing.former_names:
        sentences.append(f"Eerder op de lijst als '{listing.former_names}'.")

    if not listing.opening_proxy:
        sentences.append(f"Stond al op de lijst bij de eerste opname ({FIRST_SNAPSHOTS}); openingsdatum onbekend.")
    if listing.predecessor is not None:
        old = listing.predecessor
        sentences.append(f"Verhuisd van {old.address} (daar op de agenda tot {dutch_date(old.last_seen)}).")
    if not listing.active:
        if listing.successor is not None:
            new = listing.successor
            sentences.append(f"Verhuisd naar {new.address} (daar op de agenda vanaf {dutch_date(new.first_seen)}).")
        else:
            # Still listed elsewhere afterwards: the café did not stop (explained below).
            if any(o.last_seen > listing.last_seen for o in _others_at_other_addresses(listing, listings)):
                sentences.append(f"Op dit adres niet meer op de agenda sinds {dutch_date(listing.last_seen)}.")
            else:
                sentences.append(
                    f"Niet meer op de agenda sinds {dutch_date(listing.last_seen)}; "
                    "meestal betekent dat gestopt, niet altijd."
                )
    linked = {id(listing.predecessor), id(listing.successor)}
    for other in _others_at_other_addresses(listing, listings):
        if id(other) in linked:
            continue
        until = "nog steeds" if other.active else f"tot {dutch_date(other.last_seen)}"
        sentences.append(
            f"Dezelfde naam staat ook op {other.address} (op de agenda vanaf "
            f"{dutch_date(other.first_seen)}, {until}); die periodes overlappen, dus "
            "waarschijnlijk een tijdelijk of tweede adres van hetzelfde café, geen verhuizing."
        )
    return " ".join(sentences)


def _record(listing: _Listing, listings: list[_Listing]) -> dict:
    children = CHILDREN_ONLY.search(listing.repairs) and listing.schedule_known
    return {
        "id": listing.id,
        "naam": listing.name,
        "soort": SOORT,
        "strategie": "onbekend",  # the agenda says nothing about bonding or bridging
        "actortype": ACTORTYPE,
        "doelgroep": "jongeren" if children else "iedereen",
        "tarief": "gratis" if TARIEF_FROM_URL.search(listing.website) else "",
        "tijdelijk": "",
        "geopend": listing.first_seen if listing.opening_proxy else "",
        "gesloten": "" if listing.active else listing.last_seen,
        "opvolger_van": listing.predecessor.id if listing.predecessor is not None else "",
        "omschrijving": _description(listing, listings),
        "url": listing.website,
        "bron": BRON,
        "laatst_gecontroleerd": "",
        "werkgebied": "",
        "buurtcode": "",  # filled by the build step (point in polygon)
        "wijkcode": "",
        "gemeentecode": "",
        "lon": listing.lon,
        "lat": listing.lat,
    }


def load_records(sources_dir: Path) -> pd.DataFrame:
    """The Amsterdam repair cafés as records (columns `records.FIELDS`), one per café per
    address, in the order of the source (by first listing).

    `sources_dir` is the project's data/sources folder; the CSV lies in its
    'repaircafes-amsterdam' folder. Text fields are "" when empty; lon/lat are floats."""
    listings = _read_listings(Path(sources_dir) / FOLDER / FILENAME)
    _link_moves(listings)
    frame = pd.DataFrame([_record(listing, listings) for listing in listings], columns=FIELDS)
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return frame
