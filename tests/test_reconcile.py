"""Reconciliation of the real shared boundaries with the official list."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geo import units
from geo.names import name_key
from geo.layout import read_communes, read_provinces, rings_to_geometry
from geo.reconcile import reconcile
from geo.sources import open_source


@pytest.fixture(scope="module")
def source(boundaries_dir):
    return open_source(boundaries_dir)


@pytest.fixture(scope="module")
def communes_read(source):
    return read_communes(source, list(units.provinces().index))


def test_provinces_all_matched(source):
    read = read_provinces(source)
    matched, report = reconcile(read.features, "province")

    assert report.features == 34
    assert report.matched == 34
    assert report.unmatched == []
    assert report.missing == []
    assert sorted(matched["code"]) == sorted(units.provinces().index)


def test_communes_all_matched(communes_read):
    matched, report = reconcile(communes_read.features, "commune")

    assert report.features == 3321
    assert report.matched == 3321
    assert report.unmatched == []
    assert report.missing == []
    assert matched["code"].is_unique


def test_commune_code_conflicts_resolved_to_official(communes_read):
    matched, report = reconcile(communes_read.features, "commune")
    official = units.communes()

    assert len(report.code_conflicts) > 100
    for conflict in report.code_conflicts:
        assert conflict.official_code in official.index
        assert conflict.official_code != conflict.source_code
        official_name = official.at[conflict.official_code, "short_name"]
        assert name_key(official_name) == name_key(conflict.source_name)


def test_rotated_codes_follow_names(communes_read):
    """Cao Bằng's source rotates three codes between neighbours; names decide."""
    matched, report = reconcile(communes_read.features, "commune")
    by_name = dict(zip(matched["name"], matched["code"]))
    official = units.communes()

    for name in ("Xã Hạ Lang", "Xã Lý Quốc", "Xã Vinh Quý"):
        code = by_name[name]
        assert official.at[code, "name"] == name
        assert official.at[code, "province_code"] == "04"
    conflicts = {c.source_name: c for c in report.code_conflicts}
    assert conflicts["Hạ Lang"].code_belongs_to == "Xã Lý Quốc"


def test_matched_geometry_follows_the_name(communes_read):
    """The polygon keeps the feature's geometry, so a code rotation never moves a shape."""
    features = communes_read.features
    matched, _ = reconcile(features, "commune")
    source_row = features[(features.source_name == "Hạ Lang") & (features.source_province_code == "04")].iloc[0]
    matched_row = matched[matched["name"] == "Xã Hạ Lang"].iloc[0]

    assert matched_row.geometry.equals(source_row.geometry)


def test_unknown_name_unmatched_with_candidates():
    features = gpd.GeoDataFrame(
        {
            "source_code": ["00004", "99999"],
            "source_name": ["Ba Đình", "Ba Đìng"],
            "source_type": ["Phường", "Phường"],
            "source_province_code": ["01", "01"],
            "geometry": [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        },
        crs="EPSG:4326",
    )

    matched, report = reconcile(features, "commune")

    assert list(matched["code"]) == ["00004"]
    assert len(report.unmatched) == 1
    assert report.unmatched[0].source_name == "Ba Đìng"
    assert report.unmatched[0].candidates[0]["code"] == "00004"


def test_duplicate_feature_reported():
    features = gpd.GeoDataFrame(
        {
            "source_code": ["01", "01"],
            "source_name": ["Hà Nội", "TP Hà Nội"],
            "source_type": ["", ""],
            "source_province_code": [None, None],
            "geometry": [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        },
        crs="EPSG:4326",
    )

    matched, report = reconcile(features, "province")

    assert report.matched == 1
    assert [item.source_name for item in report.unmatched] == ["TP Hà Nội"]
    assert report.unmatched[0].reason == "duplicate feature for the same official unit Thành phố Hà Nội (01)"


def test_former_province_unmatched_and_explained():
    features = gpd.GeoDataFrame(
        {"source_code": ["02"], "source_name": ["Hà Giang"], "source_type": [""],
         "source_province_code": [None], "geometry": [shapely.box(0, 0, 1, 1)]},
        crs="EPSG:4326",
    )

    matched, report = reconcile(features, "province")

    assert matched.empty
    assert "Tuyên Quang" in report.unmatched[0].reason


def test_rings_with_hole_and_self_intersection():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]
    bowtie = [[20, 0], [22, 2], [22, 0], [20, 2], [20, 0]]

    geometry, repaired = rings_to_geometry([outer, hole, bowtie])

    assert repaired
    assert geometry.is_valid
    assert geometry.area == pytest.approx(100 - 4 + 2)
    assert not geometry.contains(shapely.Point(3, 3))


def test_repaired_counts_on_shared_source(source, communes_read):
    assert len(read_provinces(source).repaired) == 18
    assert len(communes_read.repaired) > 50
    assert communes_read.features.is_valid.all()
