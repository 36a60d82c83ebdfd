"""Small hand-made areas, figures and provisions whose answers can be worked out on paper.

Buurten are squares of 1 km x 1 km in RD New (EPSG:28992), side by side along x; a
provision is placed at a known point of one of them (given in RD New, stored as WGS84
lon/lat as records are)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from wijkmap.config import RD_NEW, WGS84

X0, Y0, SIDE = 100_000.0, 450_000.0, 1000.0


def squares(codes: list[str], gap: float = 0.0) -> gpd.GeoDataFrame:
    """One square buurt per code, the i-th from x = X0 + i * (SIDE + gap)."""
    shapes = [
        shapely.box(X0 + i * (SIDE + gap), Y0, X0 + i * (SIDE + gap) + SIDE, Y0 + SIDE) for i in range(len(codes))
    ]
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "naam": [f"Buurt {code[-2:]}" for code in codes],
            "gemeentecode": [f"GM{code[2:6]}" for code in codes],
        },
        geometry=shapes,
        crs=RD_NEW,
    )


def record(
    ident: str,
    x: float,
    y: float,
    buurtcode: str,
    soort: str = "buurthuis",
    strategie: str = "bridging",
    actortype: str = "bewoners",
    doelgroep: str = "iedereen",
) -> dict:
    point = gpd.GeoSeries([shapely.Point(x, y)], crs=RD_NEW).to_crs(WGS84).iloc[0]
    return {
        "id": ident,
        "naam": ident,
        "soort": soort,
        "strategie": strategie,
        "actortype": actortype,
        "doelgroep": doelgroep,
        "bron": "test",
        "buurtcode": buurtcode,
        "wijkcode": f"WK{buurtcode[2:8]}",
        "gemeentecode": f"GM{buurtcode[2:6]}",
        "lon": point.x,
        "lat": point.y,
    }


def records(*rows: dict) -> pd.DataFrame:
    columns = list(record("x", X0, Y0, "BU00010001"))
    return pd.DataFrame(list(rows), columns=columns)


def statistics(figures: dict[str, dict[str, float]], jaar: int = 2024) -> pd.DataFrame:
    """{indicator: {code: value}} as the store's long table."""
    rows = [
        {"code": code, "jaar": jaar, "indicator": indicator, "waarde": value, "bron": "test"}
        for indicator, values in figures.items()
        for code, value in values.items()
    ]
    return pd.DataFrame(rows)


def catalogue() -> pd.DataFrame:
    rows = [
        ("inwoners", None),
        ("huishoudens", None),
        ("pct_65plus", True),
        ("pct_0_14", None),
        ("pct_eenpersoonshuishoudens", True),
        ("gemiddeld_inkomen_per_inwoner", False),
        ("bevolkingsdichtheid", None),
    ]
    return pd.DataFrame(
        {
            "indicator": [code for code, _ in rows],
            "label_nl": [code for code, _ in rows],
            "label_en": [code for code, _ in rows],
            "eenheid": "%",
            "jaren": "2024",
            "bron": "test",
            "hoger_is_meer_nood": [direction for _, direction in rows],
        }
    )
