"""The most frequent postcode (PC4) of each buurt, from the bundled KWB 2024 subset.

CBS's Kerncijfers wijken en buurten name per buurt the four-digit postcode most of its
addresses have ("meest voorkomende postcode"). A postcode area and a buurt do not
coincide, so this says roughly where a postcode lies, never which buurten it covers:
the search (council.search) labels every postcode hit as approximate. The same file
gives the names of the 2024 buurten, whose boundaries the store lacks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wijkmap.data.sources.cbs.areas import CBS_DIR

POSTCODE_FILE = "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv"
POSTCODE_JAAR = 2024
POSTCODE_BRON = "CBS 85984NED (KWB 2024), meest voorkomende postcode"
POSTCODE_COLUMNS = ["code", "naam", "wijkcode", "gemeentecode", "gemeentenaam", "postcode", "jaar", "bron"]


def load_buurt_postcodes(sources_dir: Path) -> pd.DataFrame:
    """One row per buurt of 2024 (POSTCODE_COLUMNS); postcode "" where CBS gives none
    (101 of 14,574 buurten, mostly without residents). Empty without the file."""
    path = Path(sources_dir) / CBS_DIR / POSTCODE_FILE
    if not path.exists():
        return pd.DataFrame(
            {column: pd.Series(dtype="int64" if column == "jaar" else str) for column in POSTCODE_COLUMNS}
        )
    wanted = {"level", "code", "naam", "wijk_code", "gemeente_code", "gemeente_naam", "postcode"}
    raw = pd.read_csv(
        path, dtype=str, keep_default_na=False, encoding="utf-8-sig", usecols=lambda column: column in wanted
    )
    buurten = raw[raw["level"] == "buurt"]
    postcode = buurten["postcode"].str.strip()
    frame = pd.DataFrame(
        {
            "code": buurten["code"].str.strip(),
            "naam": buurten["naam"].str.strip(),
            "wijkcode": buurten["wijk_code"].str.strip(),
            "gemeentecode": buurten["gemeente_code"].str.strip(),
            "gemeentenaam": buurten["gemeente_naam"].str.strip(),
            "postcode": postcode.where(postcode.str.fullmatch(r"\d{4}"), ""),
            "jaar": POSTCODE_JAAR,
            "bron": POSTCODE_BRON,
        }
    )
    return frame.sort_values("code", ignore_index=True)[POSTCODE_COLUMNS]
