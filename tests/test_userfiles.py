"""User boundary files: formats, CRS, detected fields, and the everyday-names case."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.check import check_source
from geo.errors import BoundaryError
from geo.layout import read_provinces
from geo.reconcile import reconcile
from geo.sources import open_source
from geo import userfiles
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


# --- Untrusted archives and KML ------------------------------------------------------

POLYGON_KML = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>{name}</name>'
    "<Polygon><outerBoundaryIs><LinearRing><coordinates>105,21 106,21 106,22 105,21</coordinates>"
    "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"
)


def shapefile_zip(tmp_path, name: str = "tinh.zip") -> tuple[Path, list[Path]]:
    """Write a one-province Shapefile and a zip of it; return the zip and the Shapefile's files."""
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    frame = gpd.GeoDataFrame({"ten": ["Hà Nội"], "geometry": [shapely.box(105.5, 20.8, 106, 21.2)]}, crs="EPSG:4326")
    frame.to_file(folder / "tinh.shp", encoding="utf-8")
    files = sorted(folder.iterdir())
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w") as bundle:
        for member in files:
            bundle.write(member, f"ranh_gioi/{member.name}")
    return archive, files


def test_small_shapefile_zip_reads(tmp_path):
    archive, _ = shapefile_zip(tmp_path)

    features, detected = read_user_file(archive, level="province")

    assert list(features["source_name"]) == ["Hà Nội"]
    assert detected.name_field == "ten"


def test_zip_from_macos_skips_finder_metadata(tmp_path):
    _, files = shapefile_zip(tmp_path)
    archive = tmp_path / "from_mac.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        # Finder writes its resource forks first, under __MACOSX/ and as "._" files.
        bundle.writestr("__MACOSX/ranh_gioi/._tinh.shp", b"\x00\x05\x16\x07 not a shapefile")
        bundle.writestr("ranh_gioi/._tinh.shp", b"\x00\x05\x16\x07 not a shapefile")
        for member in files:
            bundle.write(member, f"ranh_gioi/{member.name}")

    features, _ = read_user_file(archive, level="province")

    assert list(features["source_name"]) == ["Hà Nội"]


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("../evil.shp", "parent folder"),
        ("ranh_gioi/../../evil.shp", "parent folder"),
        ("ranh_gioi\\..\\..\\evil.shp", "parent folder"),
        ("/tmp/evil.shp", "absolute path"),
        ("C:/Windows/evil.shp", "drive letter"),
    ],
)
def test_zip_member_outside_folder_rejected(tmp_path, member, reason):
    archive, _ = shapefile_zip(tmp_path)
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr(zipfile.ZipInfo(member), b"not a shapefile")

    with pytest.raises(BoundaryError) as raised:
        read_user_file(archive, level="province")

    message = raised.value.message("en")
    assert "outside the extraction folder" in message
    assert reason in message
    assert repr(member) in message
    assert "tinh.zip" in message
    assert "ngoài thư mục giải nén" in raised.value.message("vi")


def test_zip_symlink_member_rejected(tmp_path):
    archive, _ = shapefile_zip(tmp_path)
    link = zipfile.ZipInfo("ranh_gioi/lien_ket.shp")
    link.create_system = 3  # Unix, so the high bits of external_attr are a file mode
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr(link, "/etc/passwd")

    with pytest.raises(BoundaryError) as raised:
        read_user_file(archive, level="province")

    assert "symbolic link" in raised.value.message("en")
    assert "'ranh_gioi/lien_ket.shp'" in raised.value.message("en")


def test_zip_too_many_members_rejected(tmp_path):
    archive, _ = shapefile_zip(tmp_path)
    with zipfile.ZipFile(archive, "a") as bundle:
        for index in range(userfiles.MAX_ARCHIVE_MEMBERS):
            bundle.writestr(f"ghi_chu/{index}.txt", b"")

    with pytest.raises(BoundaryError) as raised:
        read_user_file(archive, level="province")

    message = raised.value.message("en")
    assert f"more than the limit of {userfiles.MAX_ARCHIVE_MEMBERS}" in message
    assert "tinh.zip" in message


def test_zip_bomb_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(userfiles, "MAX_UNPACKED_BYTES", 4 * 2**20)
    archive = tmp_path / "bom.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        with bundle.open("ranh_gioi.geojson", "w") as member:
            for _ in range(256):
                member.write(bytes(2**20))

    with pytest.raises(BoundaryError) as raised:
        read_user_file(archive)

    assert archive.stat().st_size < 2**20
    # Rejected from the declared size in the headers, before extracting anything.
    assert "unpacks to more than the limit of 4 MB (256 MB)" in raised.value.message("en")
    assert "bom.zip" in raised.value.message("en")


def test_zip_lying_sizes_rejected(tmp_path, monkeypatch):
    """A member whose headers declare 1,000 bytes but that unpacks to 8 MiB is not read.

    CPython's zipfile stops at the declared size and fails the CRC check. The byte
    count in the extraction is a second stop. Either must end in a BoundaryError.
    """
    monkeypatch.setattr(userfiles, "MAX_UNPACKED_BYTES", 2**20)
    archive = tmp_path / "khai_sai.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("ranh_gioi.geojson", bytes(8 * 2**20))
    with zipfile.ZipFile(archive) as bundle:
        local_header = bundle.infolist()[0].header_offset
        central_directory = bundle.start_dir
    data = bytearray(archive.read_bytes())
    # Uncompressed size: byte 22 of the local file header, byte 24 of the central directory entry.
    data[local_header + 22:local_header + 26] = struct.pack("<I", 1000)
    data[central_directory + 24:central_directory + 28] = struct.pack("<I", 1000)
    archive.write_bytes(bytes(data))

    with pytest.raises(BoundaryError) as raised:
        read_user_file(archive)

    assert "khai_sai.zip" in raised.value.message("en")


def external_entity_kml(tmp_path) -> tuple[str, str]:
    """Return a KML whose name is an external entity reading a local file, and that file's content."""
    secret = tmp_path / "bi_mat.txt"
    content = "NOI-DUNG-BI-MAT-7f3a"
    secret.write_text(content, encoding="utf-8")
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE kml [ <!ENTITY xxe SYSTEM "{secret.as_uri()}"> ]>\n'
        + POLYGON_KML.format(name="Hà Nội &xxe;")
    )
    return document, content


@pytest.mark.parametrize("suffix", [".kml", ".kmz", ".zip"])
def test_kml_external_entity_rejected(tmp_path, suffix):
    document, secret = external_entity_kml(tmp_path)
    path = tmp_path / f"tinh{suffix}"
    if suffix == ".kml":
        path.write_text(document, encoding="utf-8")
    else:
        with zipfile.ZipFile(path, "w") as bundle:
            bundle.writestr("doc.kml", document)

    with pytest.raises(BoundaryError) as raised:
        read_user_file(path, level="province")

    error = raised.value
    assert "contains a DTD" in error.message("en")
    assert path.name in error.message("en")
    for text in (error.message("en"), error.message("vi"), str(error), repr(error.__cause__)):
        assert secret not in text


def test_kml_external_dtd_rejected(tmp_path):
    path = tmp_path / "tinh.kml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE kml SYSTEM "http://127.0.0.1:9/kml.dtd">\n'
                    + POLYGON_KML.format(name="Hà Nội"), encoding="utf-8")

    with pytest.raises(BoundaryError) as raised:
        read_user_file(path, level="province")

    assert "'http://127.0.0.1:9/kml.dtd'" in raised.value.message("en")


def test_kmz_provinces_read(provinces, tmp_path):
    kml = tmp_path / "tinh.kml"
    everyday_frame(provinces).rename(columns={"ten": "Name"})[["Name", "geometry"]].to_file(kml, driver="KML")
    kmz = tmp_path / "tinh.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(kml, "doc.kml")
        bundle.writestr("files/logo.png", b"\x89PNG\r\n")

    features, detected = read_user_file(kmz)
    _, report = reconcile(features, detected.level)

    assert detected.level == "province"
    assert report.matched == 34


def test_kml_in_zip_and_plain_doctype_read(tmp_path):
    document = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE kml>\n' + POLYGON_KML.format(name="Hà Nội")
    archive = tmp_path / "tinh.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("xuat/tinh.kml", document)

    features, _ = read_user_file(archive, level="province")

    assert list(features["source_name"]) == ["Hà Nội"]
