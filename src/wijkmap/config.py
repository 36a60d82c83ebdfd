"""Every setting and limit of wijkmap, in one place.

Settings come from the environment (README "Configuration"); limits bound every input a
person can send (README "Limieten"). Modules import what they need from here and
nothing here imports wijkmap, so any layer may depend on it.
"""

from __future__ import annotations

import os
from pathlib import Path

# --- where things are ------------------------------------------------------------------
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STORE = REPO_ROOT / "data" / "wijkmap.gpkg"
SOURCES_DIR = REPO_ROOT / "data" / "sources"
# The app's static folder (Streamlit serves it at /app/static/): vendored scripts, and the
# vector tiles of the national map that build-data writes (data/tiles.py).
STATIC_DIR = REPO_ROOT / "static"

STORE_ENV = "WIJKMAP_STORE"  # path of the GeoPackage store
TILES_ENV = "WIJKMAP_TILES"  # a {z}/{x}/{y} tile URL template, or "none"
MODERATOR_SECRET_ENV = "WIJKMAP_MODERATOR_SECRET"  # opens the Moderatie page; no default
# The same secret in .streamlit/secrets.toml: a top-level WIJKMAP_MODERATOR_SECRET, or
# moderator_secret in a [wijkmap] table.
MODERATOR_SECRET_TABLE, MODERATOR_SECRET_KEY = "wijkmap", "moderator_secret"
# Who is sending: behind a reverse proxy, the client's address is in a header the proxy sets.
TRUSTED_HEADER_ENV = "WIJKMAP_TRUSTED_PROXY_HEADER"  # e.g. X-Forwarded-For; unset: no proxy
TRUSTED_PROXIES_ENV = "WIJKMAP_TRUSTED_PROXIES"  # proxies besides localhost, e.g. 10.0.0.0/8
CLIENT_SALT_ENV = "WIJKMAP_CLIENT_SALT"  # key of the address hash; unset: random per process
# While a PostgreSQL store cannot be reached the page says so and looks again this often
# (seconds), and carries on by itself once the database answers.
STORE_RETRY_S = 5.0


def store_path() -> Path:
    """Where the store lives: $WIJKMAP_STORE, or data/wijkmap.gpkg in the repository."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


# --- the basemap -----------------------------------------------------------------------
# PDOK BRT-Achtergrondkaart (Kadaster): the only external host the app's pages may contact.
PDOK_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
PDOK_ATTRIBUTION = '&copy; <a href="https://www.kadaster.nl">Kadaster</a> / PDOK'
MAX_ZOOM = 19  # PDOK's deepest zoom level, and the map's own limit


def tile_url() -> str | None:
    """The basemap: $WIJKMAP_TILES (a {z}/{x}/{y} URL template, or 'none' for no basemap),
    PDOK's BRT-Achtergrondkaart by default."""
    configured = os.environ.get(TILES_ENV, "").strip()
    if configured.lower() == "none":
        return None
    return configured or PDOK_TILES


PUBLIC_URL_ENV = "WIJKMAP_URL"  # where people open the app, for links in reports
PUBLIC_URL = "http://localhost:8501/"


def public_url() -> str:
    """The app's address as its users reach it ($WIJKMAP_URL; default the local server):
    a report printed from the command line links to the view there."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip() or PUBLIC_URL
    return configured if configured.endswith("/") else configured + "/"


# --- geography ---------------------------------------------------------------------------
WGS84 = "EPSG:4326"  # what the store and the browser use
RD_NEW = "EPSG:28992"  # Dutch national grid: metres, for distances and simplification
# A box around the Netherlands (WGS84), used only to recognise swapped coordinates.
NL_LAT, NL_LON = (50.5, 53.8), (3.0, 7.4)
# How far outside every buurt a point may lie and still be placed in the nearest (a
# provision on the coast or a boundary drawn coarsely); which buurten: data/placement.
LOCATE_TOLERANCE_M = 250

# --- the tables of records on the pages
# Rows a records table shows on screen; its downloads hold every record. Streamlit sends the
# whole table on every run: 100,000 rows cost seconds per click, and nobody scrolls them.
TABLE_MAX_ROWS = 1000

# --- limits: register imports (README "Limieten") -----------------------------------------
# Past one of these a file is refused whole, as early as it can be told, so that a huge
# or hostile file costs seconds and little memory instead of all of the machine's.
IMPORT_MAX_FILE_BYTES = 25_000_000  # any register file as it lies on disk
IMPORT_MAX_ROWS = 50_000  # rows with data (without it, a 200,000-row CSV takes 870 MB)
IMPORT_MAX_COLUMNS = 100  # filled cells of one row, counted to the last filled one
# Cells of one .xlsx worksheet, empty ones too (each costs time to read: 3 million empty
# cells in an 8 MB file took 70 s): 40 columns at the row limit, more columns with fewer rows.
IMPORT_MAX_CELLS = 2_000_000
IMPORT_MAX_UNZIPPED_BYTES = 100_000_000  # an .xlsx is a zip: its members together, unpacked
# An .ods writes each cell at more length (a 50,000-row, 15-column register by pandas: 101 MB);
# calamine streams it, and the cell and block limits bound what it holds.
IMPORT_MAX_UNZIPPED_ODS_BYTES = 300_000_000
IMPORT_MAX_ZIP_RATIO = 200  # unpacked / packed size of one member larger than 1 MB
# The shared strings of an .xlsx (every distinct text of the sheet, xl/sharedStrings.xml) are
# read whole before the first row: 4.3 million short strings in 95 MB took 64 s and 860 MB
# with no row at all. A real 50,000-row register of 10 columns has 200,000 strings in 14 MB.
IMPORT_MAX_SHARED_STRINGS_BYTES = 30_000_000  # unpacked
IMPORT_MAX_SHARED_STRINGS = 500_000  # string items and rich-text runs: 10 per row at the row limit
# Every other part read whole (styles, workbook, relations): XML elements in one part. The
# styles of a real register have a few hundred; 700,000 cell formats took 43 s and 910 MB.
IMPORT_MAX_PART_ELEMENTS = 200_000
MAX_SHOWN = 80  # characters of a user's value repeated in a message
# Longest text of a record field; the coded fields are bounded by their codes.
# werkgebied: about 500 buurtcodes.
MAX_TEXT = {
    "naam": 200, "omschrijving": 4000, "url": 500, "bron": 200,
    "id": 100, "opvolger_van": 100, "werkgebied": 6000,
}  # fmt: skip

# --- limits: OpenStreetMap imports (README "Limieten") -------------------------------------
# pbf and XML are streamed (two passes, no node index), so their size costs time, not
# memory: the extract of all of the Netherlands is ~1.3 GB. Overpass JSON is read whole.
OSM_MAX_PBF_BYTES = 2_000_000_000
OSM_MAX_XML_BYTES = 1_000_000_000
OSM_MAX_JSON_BYTES = 200_000_000
# Provisions in one extract (objects the mapping keeps): the Netherlands has ~30,000.
OSM_MAX_OBJECTS = 200_000

# --- limits: the council report (rapport; README "Limieten") ------------------------------
# Provisions listed in a report: a gemeente with a full OpenStreetMap import has thousands;
# the list stops here and says how many more there are (the export has them all).
REPORT_MAX_RECORDS = 400
# Areas in one report: the area and up to three to compare it with (as the compare view).
REPORT_MAX_AREAS = 4
# Areas in the Hoge nood list of a report.
REPORT_RANKING_ROWS = 10

# --- limits: links and draaiboeken --------------------------------------------------------
# A draaiboek travels in the URL as base64url text; this bounds it, so a link stays one a
# browser and a server accept.
DRAAIBOEK_MAX_CHARS = 16000
DRAAIBOEK_MAX_STEPS = 30
DRAAIBOEK_MAX_TITLE = 100
DRAAIBOEK_MAX_NOTE = 500
DRAAIBOEK_MAX_FILE_BYTES = 200_000  # a file of 30 full steps is ~30 kB
DRAAIBOEK_MAX_DEPTH = 8  # nesting of its JSON; a draaiboek needs 4
# Any other parameter: the longest a view writes is a list of sources (each at most 200
# characters; this leaves room for ~20). A longer value is refused before it is parsed,
# and a note about a refused value quotes only its start: echoed whole, a 100 kB value
# keeps the page busy for up to a minute drawing its warning.
MAX_PARAM_CHARS = 4000
NOTE_VALUE_CHARS = 60

# --- the Hoge nood ranking (council.need, council.reach, council.ranking; README "Nood en bereik")
NEED_MAX_INDICATORS = 6  # indicators in one need profile
NEED_MAX_WEIGHT = 5  # weights are whole numbers 1..5
# Areas with fewer inwoners get no need score and are not ranked: a share of a handful of
# people says little (business parks, polders).
NEED_MIN_INWONERS = 500
NEED_SHARE = 0.25  # the neediest quarter of a gemeente's areas is ranked by reach
REACH_DISTANCES_M = (500, 1000)  # straight-line distances of the reach columns
# Above this many provisions near the areas, reach joins circles per area, not all at once
# (council.reach.covered_shares): same answer, and a national view stays in seconds.
REACH_LOCAL_ABOVE = 5000
# Above this many, each area's share is measured on a grid of sample points inside it (one
# every REACH_SAMPLE_M metres, at most REACH_SAMPLES_PER_AREA per area): joining circles
# costs minutes there (100,000 provisions in Utrecht), the grid a second, and its answer
# differs by a percentage point or so (tests/council/test_reach.py).
REACH_SAMPLED_ABOVE = 20_000
REACH_SAMPLE_M = 20
REACH_SAMPLES_PER_AREA = 1000

# --- limits: contributions -----------------------------------------------------------------
STORY_MIN, STORY_MAX = 20, 2000
# Per browser session (a second click, a person in a hurry):
RATE_MAX, RATE_WINDOW_S, RATE_MIN_GAP_S = 5, 3600.0, 10.0
# Per client address, all its sessions together, counted in the queue table so a new
# session resets nothing; looser than per session, because colleagues behind one office
# address share it.
CLIENT_RATE_MAX = 20  # submissions per RATE_WINDOW_S
CLIENT_MAX_PENDING = 50  # waiting for moderation at the same time
# An IPv6 client is its network of this size: Dutch providers give a home a /48 or a /56
# (a /48 holds 256 /56s and 65,536 /64s), so counted per /64 one home had thousands of
# addresses, 65,536 x 50 waiting, past the whole queue's MAX_PENDING.
CLIENT_IPV6_PREFIX = 48
# The whole queue: a last resort, far above what one address may fill.
MAX_PENDING = 10_000
LOGIN_MAX_FAILURES, LOGIN_WINDOW_S = 5, 300.0  # wrong secrets per session
LOGIN_MAX_FAILURES_CLIENT = 10  # per client address: new sessions do not reset it
# per account name, from any address: bounds a guesser who varies its address, and stays
# above the per-client limit so one client's mistakes never lock the person out elsewhere
LOGIN_MAX_FAILURES_ACCOUNT = 3 * LOGIN_MAX_FAILURES_CLIENT

# --- accounts (README "Accounts", "Limieten") -------------------------------------------------
USERS_ENV = "WIJKMAP_USERS"  # the users file; unset: DEFAULT_USERS (git-ignored, never in the repo)
DEFAULT_USERS = REPO_ROOT / "data" / "gebruikers.json"
ACCOUNT_NAME_MAX = 64  # characters; letters, digits and . _ - @ only
PASSWORD_MIN, PASSWORD_MAX = 12, 1024  # characters; long passphrases are welcome, argon2 takes any length
MAX_ACCOUNTS = 500  # a gemeente's team is tens; the file is read on every login
USERS_FILE_MAX_BYTES = 1_000_000  # 500 accounts take ~100 kB


def users_path() -> Path:
    return Path(os.environ.get(USERS_ENV) or DEFAULT_USERS)


# --- batches and freshness (data/batches.py; README "Batches", "Limieten") ------------------
STALE_MONTHS_ENV = "WIJKMAP_ACTUALITEIT_MAANDEN"  # months a confirmation stays fresh


def _months(text: str | None, default: int) -> int:
    return int(text) if text and text.strip().isdigit() and int(text) > 0 else default


STALE_MONTHS = _months(os.environ.get(STALE_MONTHS_ENV), 12)
BATCH_ID_MAX = 64  # characters of a batch name (--batch): letters, digits and . _ - only
BATCH_ACCOUNT_MAX = 200  # the account a batch names (an OpenID login names an e-mail address)
BATCH_MAX_IDS = 50_000  # records one confirmation or closing may name: an import's row limit


# --- limits: official boundaries (import-gebieden, fetch gebieden; README "Boundaries") ------
# The national CBS wijk- en buurtkaart 2024 GeoPackage is about 1 GB with all its kerncijfers;
# only the code, name and water fields and the geometry are read.
GEBIEDEN_MAX_FILE_BYTES = 2_000_000_000  # one file as it lies on disk, a zip as well
GEBIEDEN_MAX_UNZIPPED_BYTES = 4_000_000_000  # the members of a zip together, unpacked
GEBIEDEN_MAX_LAYERS = 20  # layers in one file (a wijk- en buurtkaart has three)
# Features of one layer, water areas included: the country has about 14,600 buurten.
GEBIEDEN_MAX_FEATURES = 50_000
GEBIEDEN_YEARS = (2000, 2100)  # the indeling years accepted for --jaar
# PDOK's OGC API Features of the CBS wijken en buurten; {jaar} is the indeling year.
GEBIEDEN_PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1"
GEBIEDEN_FETCH_PAGE_SIZE = 1000  # PDOK's largest page
GEBIEDEN_FETCH_MAX_PAGES = 200  # per collection: 15 pages hold the country's buurten
GEBIEDEN_FETCH_MAX_PAGE_BYTES = 200_000_000  # one response as received
GEBIEDEN_FETCH_TIMEOUT_S = 60

# --- limits: fetching CBS figures (`wijkmap fetch cbs`, README "Cijfers van CBS") ---------
CBS_ROOT = "https://opendata.cbs.nl"  # under it: /ODataApi/odata/<tabel>/
CBS_TIMEOUT_S = 60.0  # per request: connecting, and between bytes of an answer
# One answer: CBS pages TypedDataSet at 10,000 rows; a page of a KWB table (about 130
# variables) is ~45 MB in JSON. The metadata of 85984NED is 120 kB.
CBS_MAX_RESPONSE_BYTES = 100_000_000
# Rows of one fetch: the whole country at every level is ~18,300 (2024).
CBS_MAX_ROWS = 60_000
CBS_MAX_PAGES = 50  # odata.nextLink followed at most this often (a server that loops)
CBS_MAX_PROPERTIES = 2_000  # DataProperties entries (85984NED: 172)
