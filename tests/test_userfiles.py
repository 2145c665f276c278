"""User boundary files: formats, CRS, detected fields, and the everyday-names case."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.check import check_source
from geo.errors import BoundaryError
from geo.layout import read_provinces
from geo.reconcile import reconcile
from geo.sources import open_source
from geo.userfiles import read_user_file

# Names as people write them, with codes that are the file's own, not GSO codes.
EVERYDAY_NAMES = {
    "01": "TP Hà Nội", "79": "TP HCM", "56": "Khánh Hoà", "46": "TP. Huế", "48": "Đà Nẵng",
    "31": "Thành phố Hải Phòng", "92": "TP Cần Thơ", "38": "Thanh Hoá", "66": "tỉnh Đắk Lắk",
    "08": "Tỉnh Tuyên Quang", "96": "CÀ MAU",
}


@pytest.fixture(scope="module")
def provinces(boundaries_dir):
    """The 34 real province polygons with official codes and names."""
    matched, _ = reconcile(read_provinces(open_source(boundaries_dir)).features, "province")
    return matched


def everyday_frame(provinces) -> gpd.GeoDataFrame:
    frame = provinces[["code", "name", "geometry"]].copy()
    frame["ten"] = [EVERYDAY_NAMES.get(code, name) for code, name in zip(frame.code, frame.name)]
    frame["ma"] = [f"P{index:02d}" for index in range(len(frame))]
    return frame[["ma", "ten", "geometry"]]


def test_geojson_everyday_names_all_matched(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    everyday_frame(provinces).to_file(path, driver="GeoJSON")

    report = check_source(path, "province")

    assert report["provinces"]["features"] == 34
    assert report["provinces"]["matched"] == 34
    assert report["provinces"]["unmatched"] == []
    assert report["detected_fields"]["name"] == "ten"


def test_level_detected_for_provinces(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    everyday_frame(provinces).to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path)

    assert detected.level == "province"
    assert detected.code_field is None
    assert len(features) == 34


def test_zipped_shapefile_in_vn2000(provinces, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    projected = everyday_frame(provinces).to_crs("EPSG:3405")  # VN-2000 / UTM zone 48N
    projected.to_file(folder / "ranh_gioi.shp", encoding="utf-8")
    archive = tmp_path / "ranh_gioi.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for member in folder.iterdir():
            bundle.write(member, member.name)

    features, detected = read_user_file(archive, level="province")
    matched, report = reconcile(features, "province")

    assert detected.crs == "EPSG:3405"
    assert report.matched == 34
    hanoi = matched.set_index("code").geometry["01"]
    original = provinces.set_index("code").geometry["01"]
    assert hanoi.centroid.distance(original.centroid) < 1e-4
    assert abs(hanoi.area - original.area) / original.area < 1e-3


def test_geopackage_with_codes(provinces, tmp_path):
    path = tmp_path / "tinh.gpkg"
    frame = provinces[["code", "name", "geometry"]].rename(columns={"code": "ma_tinh", "name": "ten_tinh"})
    frame.to_file(path, driver="GPKG", layer="tinh")

    features, detected = read_user_file(path)
    _, report = reconcile(features, detected.level)

    assert detected.code_field == "ma_tinh"
    assert report.matched == 34
    assert report.code_conflicts == []


def test_kml_provinces(provinces, tmp_path):
    path = tmp_path / "tinh.kml"
    frame = everyday_frame(provinces).rename(columns={"ten": "Name"})[["Name", "geometry"]]
    frame.to_file(path, driver="KML")

    features, detected = read_user_file(path)
    _, report = reconcile(features, detected.level)

    assert detected.level == "province"
    assert report.matched == 34


def test_commune_file_with_province_column(tmp_path):
    names = ["Xã Tân Hòa", "Phường Ba Đình", "Xã Bát Tràng"]
    frame = gpd.GeoDataFrame(
        {"xa": names, "tinh": ["Tây Ninh", "Hà Nội", "TP Hà Nội"],
         "geometry": [shapely.box(105 + i / 10, 20, 105.1 + i / 10, 20.1) for i in range(3)]},
        crs="EPSG:4326",
    )
    path = tmp_path / "xa.geojson"
    frame.to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path, level="commune")
    matched, report = reconcile(features, "commune")

    assert detected.province_field == "tinh"
    assert report.unmatched == []
    assert set(matched["name"]) == set(names)


def test_named_fields_override_detection(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    everyday_frame(provinces).to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path, level="province", name_field="ten", code_field="ma")

    assert detected.code_field == "ma"
    assert features["source_code"].iloc[0] == "P00"


def test_missing_named_field_lists_columns(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    everyday_frame(provinces).to_file(path, driver="GeoJSON")

    with pytest.raises(BoundaryError, match="ten_tinh") as raised:
        read_user_file(path, level="province", name_field="ten_tinh")

    assert "ma, ten" in raised.value.message("en")


def test_projected_file_without_crs_rejected(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    projected = everyday_frame(provinces).to_crs("EPSG:3405")
    projected = projected.set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        projected.to_file(path, driver="GeoJSON")

    with pytest.raises(BoundaryError, match="EPSG:3405"):
        read_user_file(path)


def test_crs_argument_for_file_without_crs(provinces, tmp_path):
    path = tmp_path / "tinh.geojson"
    projected = everyday_frame(provinces).to_crs("EPSG:3405").set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        projected.to_file(path, driver="GeoJSON")

    features, _ = read_user_file(path, level="province", crs="EPSG:3405")

    assert features.total_bounds[0] == pytest.approx(provinces.total_bounds[0], abs=1e-3)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ranh_gioi.csv", b"a,b\n1,2\n", "Unsupported file format"),
        ("ranh_gioi.geojson", b"{not json", "Could not read boundary file"),
        ("ranh_gioi.zip", b"PK\x03\x04broken", "Could not read boundary file"),
    ],
)
def test_unreadable_files_rejected(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(BoundaryError) as raised:
        read_user_file(path)

    assert message in raised.value.message("en")
    assert name in raised.value.message("en")


def test_points_only_file_rejected(tmp_path):
    path = tmp_path / "diem.geojson"
    gpd.GeoDataFrame({"ten": ["Hà Nội"], "geometry": [shapely.Point(105.8, 21.0)]}, crs="EPSG:4326").to_file(path)

    with pytest.raises(BoundaryError, match="polygon"):
        read_user_file(path)


def test_no_name_column_rejected(tmp_path):
    path = tmp_path / "vung.geojson"
    frame = gpd.GeoDataFrame({"label": ["abc", "xyz"], "geometry": [shapely.box(105, 20, 106, 21)] * 2}, crs="EPSG:4326")
    frame.to_file(path)

    with pytest.raises(BoundaryError, match="--name-field"):
        read_user_file(path)


def test_wrong_crs_rejected(provinces, tmp_path):
    path = tmp_path / "tinh.gpkg"
    everyday_frame(provinces).to_crs("EPSG:3405").set_crs("EPSG:3857", allow_override=True).to_file(path)

    with pytest.raises(BoundaryError, match="outside Vietnam|ngoài Việt Nam"):
        read_user_file(path, level="province")


def test_file_without_crs_in_degrees_warns(tmp_path):
    path = tmp_path / "tinh.geojson"
    text = pd.Series(['{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ten":"Hà Nội"},'
                      '"geometry":{"type":"Polygon","coordinates":[[[105,21],[106,21],[106,22],[105,21]]]}}]}'])
    path.write_text(text[0], encoding="utf-8")

    features, detected = read_user_file(path, level="province")

    assert detected.crs.endswith("4326")
    assert len(features) == 1


def test_one_row_per_part_merged(provinces, tmp_path):
    path = tmp_path / "tinh_tach.geojson"
    exploded = everyday_frame(provinces).explode(index_parts=False)
    exploded.to_file(path, driver="GeoJSON")

    with pytest.warns(UserWarning, match="were merged"):
        features, detected = read_user_file(path)
    _, report = reconcile(features, detected.level)

    assert len(exploded) > 1000
    assert detected.level == "province"
    assert report.matched == 34
    assert report.unmatched == []


def test_small_commune_file_detected_as_communes(tmp_path):
    from geo import units

    hcm = units.communes()[units.communes()["province_code"] == "79"].head(30)
    frame = gpd.GeoDataFrame(
        {"ten_xa": list(hcm["name"]), "tinh": "TP HCM",
         "geometry": [shapely.box(106 + i / 100, 10, 106.01 + i / 100, 10.01) for i in range(len(hcm))]},
        crs="EPSG:4326",
    )
    path = tmp_path / "xa.geojson"
    frame.to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path)
    _, report = reconcile(features, detected.level)

    assert detected.level == "commune"
    assert detected.name_field == "ten_xa"
    assert detected.province_field == "tinh"
    assert report.matched == 30


def test_province_code_column_for_communes(tmp_path):
    frame = gpd.GeoDataFrame(
        {"ten": ["Xã Tân Hòa", "Xã Tân Hòa"], "ma_tinh": ["80", "82"],
         "geometry": [shapely.box(105 + i / 10, 10, 105.1 + i / 10, 10.1) for i in range(2)]},
        crs="EPSG:4326",
    )
    path = tmp_path / "xa.geojson"
    frame.to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path, level="commune")
    matched, report = reconcile(features, "commune")

    assert detected.province_field == "ma_tinh"
    assert detected.code_field is None
    assert report.unmatched == []
    assert sorted(matched["province_code"]) == ["80", "82"]


def test_row_numbers_not_taken_as_codes(provinces, tmp_path):
    frame = everyday_frame(provinces)
    frame["OBJECTID"] = range(1, len(frame) + 1)
    path = tmp_path / "tinh.geojson"
    frame.to_file(path, driver="GeoJSON")

    features, detected = read_user_file(path)
    _, report = reconcile(features, detected.level)

    assert detected.code_field is None
    assert report.code_conflicts == []


def test_shapefile_zip_variants(provinces, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    everyday_frame(provinces).to_file(folder / "tinh.shp", encoding="utf-8")
    (folder / "tinh.cpg").unlink()

    nested = tmp_path / "TINH.ZIP"
    with zipfile.ZipFile(nested, "w") as bundle:
        for member in folder.iterdir():
            bundle.write(member, f"ranh_gioi/{member.name}")
    features, detected = read_user_file(nested)
    _, report = reconcile(features, detected.level)
    assert report.matched == 34

    no_dbf = tmp_path / "thieu_dbf.zip"
    with zipfile.ZipFile(no_dbf, "w") as bundle:
        for member in folder.iterdir():
            if member.suffix != ".dbf":
                bundle.write(member, member.name)
    with pytest.raises(BoundaryError, match=".dbf"):
        read_user_file(no_dbf)


def test_empty_feature_collection_rejected(tmp_path):
    path = tmp_path / "rong.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")

    with pytest.raises(BoundaryError) as raised:
        read_user_file(path)

    assert "contains no features" in raised.value.message("en")
