"""The small maps of a comparison: one image per area, one set of classes for all."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from wijkmap.council import map_image

PNG = b"\x89PNG\r\n\x1a\n"


def _areas(prefix: str, x: float) -> gpd.GeoDataFrame:
    codes = [f"{prefix}{i}" for i in range(4)]
    shapes = [box(x + 0.01 * i, 52.0, x + 0.01 * (i + 1), 52.01) for i in range(4)]
    return gpd.GeoDataFrame({"code": codes}, geometry=shapes, crs="EPSG:4326")


def test_one_image_per_area_and_a_legend_shared_by_all():
    contexts = {"A1": _areas("A", 5.0), "B2": _areas("B", 6.0)}
    values = pd.Series({"A0": 1.0, "A1": 2.0, "A2": 3.0, "A3": 4.0, "B0": 5.0, "B1": 6.0, "B2": 7.0, "B3": 8.0})
    maps = map_image.small_maps(contexts, values, "%", "blauw", 4, "equal_interval")
    assert set(maps.images) == {"A1", "B2"}
    assert all(image.startswith(PNG) and len(image) > 1000 for image in maps.images.values())
    # The classes span both areas' neighbourhoods: one scale, so colours compare.
    assert [label for _, label in maps.legend] == ["1,0% – 2,8%", "2,8% – 4,5%", "4,5% – 6,2%", "6,2% – 8,0%"]
    assert map_image.legend_image(maps.legend, missing="geen cijfer").startswith(PNG)


def test_areas_without_a_figure_are_drawn_grey_not_left_out():
    contexts = {"A1": _areas("A", 5.0)}
    maps = map_image.small_maps(contexts, pd.Series({"A1": 3.0}), "aantal", "blauw", 5)
    assert maps.images["A1"].startswith(PNG) and len(maps.legend) == 1


def _hatch_pixels(png: bytes) -> int:
    """Pixels of the hatch lines' grey (#777777) in an image."""
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int((np.abs(pixels - 0x77).max(axis=2) <= 12).sum())


def test_areas_without_a_figure_are_hatched_so_they_read_in_black_and_white():
    contexts = {"A1": _areas("A", 5.0)}
    with_figures = map_image.small_maps(contexts, pd.Series({f"A{i}": float(i) for i in range(4)}), "%", "blauw", 2)
    without = map_image.small_maps(contexts, pd.Series({"A0": 1.0, "A3": 2.0}), "%", "blauw", 2)
    # (a few such pixels are the black outline's smoothed edge)
    assert _hatch_pixels(without.images["A1"]) > 10 * _hatch_pixels(with_figures.images["A1"])
    # The legend's "no figure" box is hatched too.
    assert _hatch_pixels(map_image.legend_image(with_figures.legend, missing="geen cijfer")) > 50


def test_dollar_signs_in_legend_text_are_drawn_as_text_not_read_as_a_formula():
    legend = [("#deebf7", r"$\frac{1}{$ – 2"), ("#3182bd", "2 – $3")]
    assert map_image.legend_image(legend, title="Kosten in $", missing="geen $ cijfer").startswith(PNG)
    assert map_image.escape("a $b$ c") == r"a \$b\$ c"
