"""The crosswalk of the 63 pre-2025 provinces to the 34 current ones."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from geo.crosswalk import find_former, formed_from, former_provinces
from geo.matching import match_province
from geo.units import provinces

SHARED = Path(
    os.environ.get("DXMAP_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)
METADATA = SHARED / "data" / "boundaries" / "vietnam-3d-map" / "data" / "provinces-metadata.json"
CSV_PATH = Path(__file__).resolve().parents[1] / "geo" / "data" / "former_provinces.csv"


@pytest.fixture(scope="module")
def metadata() -> list[dict]:
    """Province metadata of the vietnam-3d-map project, with its ``beforeMerger`` field."""
    if not METADATA.is_file():
        pytest.fail(f"Province metadata not found at {METADATA}; set DXMAP_SHARED_DIR.")
    return json.loads(METADATA.read_text(encoding="utf-8"))


def _listed_former_names(before_merger: str) -> list[str]:
    """Split "tỉnh Hà Nam, tỉnh Nam Định và tỉnh Ninh Bình" into its three names."""
    return [part.strip() for part in re.split(r",| và ", before_merger) if part.strip()]


def test_csv_is_utf8_with_header():
    text = CSV_PATH.read_bytes().decode("utf-8")
    assert text.splitlines()[0] == "former_code,former_name,province_code,change"


def test_table_shape():
    table = former_provinces()
    assert len(table) == 63
    assert table.index.name == "former_code"
    assert list(table.columns) == ["former_name", "province_code", "change"]
    assert table.index.is_unique
    assert table["former_name"].is_unique


def test_table_codes_are_two_digits():
    table = former_provinces()
    assert table.index.str.fullmatch(r"\d{2}").all()
    assert set(table["province_code"]) == set(provinces().index)


def test_table_change_counts():
    counts = former_provinces()["change"].value_counts()
    assert counts["merged"] == 52
    assert counts["unchanged"] == 11


def test_unchanged_provinces_keep_their_code():
    table = former_provinces()
    unchanged = table[table["change"] == "unchanged"]
    assert list(unchanged.index) == list(unchanged["province_code"])
    assert set(unchanged.index) == {"01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"}


def test_merged_provinces_have_two_or_three_parts():
    table = former_provinces()
    merged = table[table["change"] == "merged"]
    sizes = merged.groupby("province_code").size()
    assert len(sizes) == 23
    assert sizes.between(2, 3).all()


def test_new_code_is_one_former_code():
    """Every current province took the GSO code of one of its former provinces."""
    table = former_provinces()
    for code, group in table.groupby("province_code"):
        assert code in group.index, f"{code} is not the old code of {list(group['former_name'])}"


def test_new_name_is_one_former_name():
    """Every current province kept the name of one of its former provinces, except Huế."""
    for code, row in provinces().iterrows():
        names = formed_from(code)
        if code == "46":
            assert names == ["Thừa Thiên Huế"]
        else:
            assert row["short_name"] in names, code


def test_matches_metadata_before_merger(metadata):
    """Check every current province against the ``beforeMerger`` field of the metadata."""
    assert len(metadata) == 34
    seen = set()
    for entry in metadata:
        current = match_province(entry["name"])
        assert current.status == "matched", entry["name"]
        seen.add(current.code)
        rows = former_provinces()[former_provinces()["province_code"] == current.code]

        if entry["beforeMerger"] == "không sáp nhập":
            assert entry["isMerged"] is False
            assert list(rows["change"]) == ["unchanged"], entry["name"]
            continue

        assert entry["isMerged"] is True
        listed = _listed_former_names(entry["beforeMerger"])
        found = {name: find_former(name) for name in listed}
        missing = [name for name, row in found.items() if row is None]
        assert missing == [], entry["name"]
        assert {row.name for row in found.values()} == set(rows.index), entry["name"]
        assert set(rows["change"]) == {"merged"}, entry["name"]
    assert seen == set(provinces().index)


@pytest.mark.parametrize(
    ("name", "former_code", "province_code"),
    [
        ("Hà Giang", "02", "08"),
        ("Tuyên Quang", "08", "08"),
        ("Lào Cai", "10", "15"),
        ("Yên Bái", "15", "15"),
        ("Bắc Giang", "24", "24"),
        ("Bắc Ninh", "27", "24"),
        ("Quảng Bình", "44", "44"),
        ("Quảng Trị", "45", "44"),
        ("Thừa Thiên Huế", "46", "46"),
        ("Bình Định", "52", "52"),
        ("Gia Lai", "64", "52"),
        ("Tây Ninh", "72", "80"),
        ("Long An", "80", "80"),
        ("Bình Dương", "74", "79"),
        ("Bà Rịa - Vũng Tàu", "77", "79"),
        ("Tiền Giang", "82", "82"),
        ("Đồng Tháp", "87", "82"),
        ("An Giang", "89", "91"),
        ("Kiên Giang", "91", "91"),
        ("Hậu Giang", "93", "92"),
        ("Bạc Liêu", "95", "96"),
    ],
)
def test_find_former_old_and_new_codes(name, former_code, province_code):
    row = find_former(name)
    assert row is not None
    assert row.name == former_code
    assert row["former_name"] == name
    assert row["province_code"] == province_code


@pytest.mark.parametrize(
    ("written", "former_name"),
    [
        ("tỉnh Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Ba Ria Vung Tau", "Bà Rịa - Vũng Tàu"),
        ("Thua Thien Hue", "Thừa Thiên Huế"),
        ("TT-Huế", "Thừa Thiên Huế"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("UBND tỉnh Hà Giang", "Hà Giang"),
        ("Hoà Bình", "Hòa Bình"),
        ("Dak Nong", "Đắk Nông"),
        ("Daknong", "Đắk Nông"),
        ("Kien Giang", "Kiên Giang"),
        ("TPHCM", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ],
)
def test_find_former_written_forms(written, former_name):
    row = find_former(written)
    assert row is not None
    assert row["former_name"] == former_name


@pytest.mark.parametrize("name", ["Hà Tây", "Huế", "Foo", "", "Hà Giangg"])
def test_find_former_unknown(name):
    assert find_former(name) is None


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("08", ["Hà Giang", "Tuyên Quang"]),
        ("79", ["Bình Dương", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"]),
        ("25", ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]),
        ("46", ["Thừa Thiên Huế"]),
        ("01", ["Hà Nội"]),
        ("91", ["An Giang", "Kiên Giang"]),
        ("8", ["Hà Giang", "Tuyên Quang"]),
    ],
)
def test_formed_from(code, names):
    assert formed_from(code) == names


@pytest.mark.parametrize("code", ["02", "99", "", "Hà Nội", None])
def test_formed_from_rejects_non_current_code(code):
    with pytest.raises(ValueError, match="not found: expected one of the 34 current two-digit codes"):
        formed_from(code)
