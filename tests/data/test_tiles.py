"""data.tiles: one PMTiles file per buurt/wijk indeling, with geometry and every code."""

from __future__ import annotations

import pyogrio

from wijkmap.data import store, tiles


def test_tiles_of_a_layer_open_with_gdal_and_hold_every_code(small_store_path, tmp_path):
    file = tiles.tiles_file("buurt_2015", small_store_path, tmp_path)

    assert file.exists() and file.suffix == ".pmtiles" and file.name.startswith("buurt_2015-")
    info = pyogrio.read_info(file, layer=tiles.TILE_LAYER)
    assert info["driver"] == "PMTiles"
    assert info["dataset_metadata"]["minzoom"] == str(tiles.MINZOOM)
    assert info["dataset_metadata"]["maxzoom"] == str(tiles.MAXZOOM)
    read = pyogrio.read_dataframe(file, layer=tiles.TILE_LAYER)
    assert set(read.columns) == {"mvt_id", "code", "geometry"}, "geometry and codes only"
    assert set(read["code"]) == set(store.read_area_names("buurt_2015", small_store_path)["code"])
    # Beside it every code, in code order (the order of the classes the map sends).
    codes = tiles.codes_file(file).read_text(encoding="ascii").split(",")
    assert codes == sorted(set(read["code"]))
    # The whole store's extent, in the tiles' web mercator.
    west, south, east, north = store.read_areas("buurt_2015", path=small_store_path).to_crs(3857).total_bounds
    tw, ts, te, tn = read.total_bounds
    assert abs(tw - west) < 200 and abs(tn - north) < 200 and abs(te - east) < 200 and abs(ts - south) < 200


def test_a_file_is_written_once_per_content(small_store_path, tmp_path):
    first = tiles.tiles_file("wijk_2015", small_store_path, tmp_path)
    stamp = first.stat().st_mtime_ns
    again = tiles.tiles_file("wijk_2015", small_store_path, tmp_path)
    assert again == first and again.stat().st_mtime_ns == stamp, "not written again"
    other = tiles.tiles_file("buurt_2015", small_store_path, tmp_path)
    assert other != first, "another layer, another file"
    assert not list(tmp_path.glob(".*")), "no temporary left behind"


def test_write_all_tiles_every_buurt_and_wijk_layer_and_prunes_old_builds(small_store_path, tmp_path):
    stale = tmp_path / "buurt_2015-000000000000.pmtiles"
    stale.write_bytes(b"old")
    written = tiles.write_all(small_store_path, tmp_path, prune=True)

    assert set(written) == {
        name for name in store.area_layers(small_store_path) if name.startswith(("buurt_", "wijk_"))
    }
    assert all(path.exists() for path in written.values())
    assert not stale.exists()
