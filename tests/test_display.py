"""Display geometry: a clean coverage per level, islands kept, and a disk cache."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import display, units
from geo.display import LEVELS, display_layer

HOANG_SA = shapely.box(111.0, 15.5, 113.0, 17.3)
TRUONG_SA = shapely.box(111.5, 6.0, 117.5, 12.0)


@pytest.fixture(scope="module")
def provinces_layer():
    return display_layer("province")


@pytest.fixture(scope="module")
def communes_layer():
    return display_layer("commune")


def parts_within(layer, area) -> int:
    return int(sum(shapely.intersects(shapely.get_parts(shape), area).sum() for shape in layer.geometry))


def test_province_layer_has_official_units(provinces_layer):
    assert list(provinces_layer.columns) == ["code", "name", "province_code", "geometry"]
    assert sorted(provinces_layer["code"]) == sorted(units.provinces().index)
    assert provinces_layer.crs.to_epsg() == 4326


def test_commune_layer_has_all_communes(communes_layer):
    assert len(communes_layer) == 3321
    assert set(communes_layer["code"]) == set(units.communes().index)


@pytest.mark.parametrize("level", ["province", "commune"])
def test_layer_is_valid_coverage(level, provinces_layer, communes_layer):
    layer = provinces_layer if level == "province" else communes_layer
    geometry = np.asarray(layer.geometry.values)

    assert shapely.is_valid(geometry).all()
    assert not shapely.is_empty(geometry).any()
    assert shapely.coverage_is_valid(geometry)


def test_province_of_communes_is_valid_coverage():
    layer = display_layer("commune", province="56")

    assert len(layer) == (units.communes()["province_code"] == "56").sum()
    assert shapely.coverage_is_valid(np.asarray(layer.geometry.values))


def test_archipelagos_kept_at_every_level(provinces_layer, communes_layer):
    khanh_hoa = display_layer("commune", province="56")
    da_nang = display_layer("commune", province="48")

    for layer in (provinces_layer, communes_layer):
        assert parts_within(layer, HOANG_SA) >= 10
        assert parts_within(layer, TRUONG_SA) >= 10
    assert parts_within(da_nang, HOANG_SA) >= 10
    assert parts_within(khanh_hoa, TRUONG_SA) >= 10
    truong_sa = communes_layer.set_index("name").geometry["Đặc khu Trường Sa"]
    assert truong_sa.intersects(TRUONG_SA)


def test_simplification_opens_no_gaps(boundaries_dir):
    """The union of the simplified provinces has no more holes than the cleaned one."""
    from geo.layout import read_provinces
    from geo.reconcile import reconcile
    from geo.sources import open_source

    matched, _ = reconcile(read_provinces(open_source(boundaries_dir)).features, "province")
    cleaned = shapely.coverage_clean(np.asarray(matched.geometry.values), gap_width=LEVELS["province"].gap_width)
    simplified = np.asarray(display_layer("province").geometry.values)

    def holes(geometry):
        union = shapely.coverage_union_all(geometry)
        return sum(shapely.get_num_interior_rings(part) for part in shapely.get_parts(union))

    assert holes(simplified) <= holes(cleaned)
    assert shapely.area(simplified).sum() == pytest.approx(shapely.area(cleaned).sum(), rel=0.01)


def test_simplification_reduces_vertices(communes_layer):
    province_layer = display_layer("commune", province="01")
    national_hanoi = communes_layer[communes_layer["province_code"] == "01"]

    assert shapely.get_num_coordinates(national_hanoi.geometry.values).sum() < shapely.get_num_coordinates(
        province_layer.geometry.values
    ).sum()


def test_warm_load_reads_cache(communes_layer, monkeypatch):
    def fail_build(*args, **kwargs):
        raise AssertionError("a warm load must not rebuild the layer")

    monkeypatch.setattr(display, "build_layer", fail_build)
    started = time.perf_counter()
    layer = display_layer("commune")
    elapsed = time.perf_counter() - started

    assert len(layer) == 3321
    # Generous bound: a warm load measured about 0.1 s; this only catches a rebuild.
    assert elapsed < 5


def test_cache_rebuilt_for_other_source(monkeypatch, tmp_path, boundaries_dir):
    monkeypatch.setenv("DXMAP_CACHE_DIR", str(tmp_path))
    layer = display_layer("province")

    cached = list((tmp_path / "display").glob("province-all-*.parquet"))
    assert len(cached) == 1
    assert len(layer) == 34


@pytest.mark.parametrize(("level", "province"), [("district", None), ("province", "01"), ("commune", "99")])
def test_unknown_level_rejected(level, province):
    with pytest.raises(ValueError, match="Unknown map level"):
        display_layer(level, province)


def test_corrupt_cache_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("DXMAP_CACHE_DIR", str(tmp_path))
    display_layer("province")
    cached = next((tmp_path / "display").glob("province-all-*.parquet"))
    cached.write_bytes(cached.read_bytes()[:100])

    layer = display_layer("province")

    assert len(layer) == 34
    assert len(gpd.read_parquet(cached)) == 34


def test_province_at_points(boundaries_dir):
    from geo.display import display_layer, province_at

    provinces = display_layer("province")
    assert province_at(provinces, 21.03, 105.85) == "01"
    assert province_at(provinces, 10.78, 106.70) == "79"
    assert province_at(provinces, 15.0, 114.0) is None
