"""Matching province and commune names as people write them to the official units."""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from geo.crosswalk import former_provinces
from geo.matching import (
    MAX_NAME_LENGTH,
    Candidate,
    Match,
    match_commune,
    match_province,
    split_unit_name,
)
from geo.names import PROVINCE_ABBREVIATIONS
from geo.units import COMMUNE_COUNT, communes, provinces

SHARED = Path(
    os.environ.get("DXMAP_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)
PORTAL_REPORT = SHARED / "data" / "portal-766" / "bao_cao_T10_2025.xlsx"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def ascii_apostrophes(text: str) -> str:
    return text.replace("’", "'")


@pytest.fixture(scope="module")
def portal_sheets() -> dict[str, pd.DataFrame]:
    """The portal's 766-index report: 34 provinces and the 102 communes of An Giang."""
    if not PORTAL_REPORT.is_file():
        pytest.fail(f"Portal report not found at {PORTAL_REPORT}; set DXMAP_SHARED_DIR.")
    return pd.read_excel(PORTAL_REPORT, sheet_name=["Điểm năm", "Xã Phường"])


# --- Provinces -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Thành phố Hồ Chí Minh", "79"),
        ("Hồ Chí Minh", "79"),
        ("TP HCM", "79"),
        ("TP.HCM", "79"),
        ("Tp.HCM", "79"),
        ("TPHCM", "79"),
        ("tphcm", "79"),
        ("HCM", "79"),
        ("HCMC", "79"),
        ("TP. Hồ Chí Minh", "79"),
        ("Sài Gòn", "79"),
        ("Saigon", "79"),
        ("Ho Chi Minh City", "79"),
        ("UBND Thành phố Hồ Chí Minh", "79"),
        ("Thành phố Hà Nội", "01"),
        ("TP Hà Nội", "01"),
        ("T.P Hà Nội", "01"),
        ("Thủ đô Hà Nội", "01"),
        ("Hà Nội", "01"),
        ("Ha Noi", "01"),
        ("HA NOI", "01"),
        ("Hanoi", "01"),
        ("Thanh pho Ha Noi", "01"),
        ("Khánh Hòa", "56"),
        ("Khánh Hoà", "56"),
        (nfd("Khánh Hoà"), "56"),
        ("Khanh Hoa", "56"),
        ("tỉnh Khánh Hòa", "56"),
        ("Tinh Khanh Hoa", "56"),
        ("Huế", "46"),
        ("TP Huế", "46"),
        ("Thành phố Huế", "46"),
        ("Hue", "46"),
        ("Đắk Lắk", "66"),
        ("Dak Lak", "66"),
        ("Daklak", "66"),
        ("ĐẮK LẮK", "66"),
        ("Thanh Hoá", "38"),
        ("Tuyên Quang", "08"),
        ("Cần Thơ", "92"),
        ("Ủy ban nhân dân tỉnh An Giang", "91"),
        ("UBND tỉnh Bắc Ninh", "24"),
        ("  Lâm\u00a0Đồng  ", "68"),
    ],
)
def test_match_province(name, code):
    match = match_province(name)
    assert match.status == "matched"
    assert match.code == code
    assert match.name == provinces().loc[code, "name"]
    assert match.candidates == ()


@pytest.mark.parametrize(
    ("name", "former_name", "code"),
    [
        ("Hà Giang", "Hà Giang", "08"),
        ("Ha Giang", "Hà Giang", "08"),
        ("tỉnh Hà Giang", "Hà Giang", "08"),
        ("Yên Bái", "Yên Bái", "15"),
        ("Bắc Kạn", "Bắc Kạn", "19"),
        ("Hoà Bình", "Hòa Bình", "25"),
        ("Vĩnh Phúc", "Vĩnh Phúc", "25"),
        ("Bắc Giang", "Bắc Giang", "24"),
        ("Hải Dương", "Hải Dương", "31"),
        ("Thái Bình", "Thái Bình", "33"),
        ("Nam Định", "Nam Định", "37"),
        ("Quảng Bình", "Quảng Bình", "44"),
        ("Quảng Nam", "Quảng Nam", "48"),
        ("Kon Tum", "Kon Tum", "51"),
        ("Bình Định", "Bình Định", "52"),
        ("Phú Yên", "Phú Yên", "66"),
        ("Ninh Thuận", "Ninh Thuận", "56"),
        ("Đắk Nông", "Đắk Nông", "68"),
        ("Bình Thuận", "Bình Thuận", "68"),
        ("Bình Phước", "Bình Phước", "75"),
        ("Bình Dương", "Bình Dương", "79"),
        ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu", "79"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu", "79"),
        ("BR-VT", "Bà Rịa - Vũng Tàu", "79"),
        ("Long An", "Long An", "80"),
        ("Tiền Giang", "Tiền Giang", "82"),
        ("Bến Tre", "Bến Tre", "86"),
        ("Trà Vinh", "Trà Vinh", "86"),
        ("Kiên Giang", "Kiên Giang", "91"),
        ("Hậu Giang", "Hậu Giang", "92"),
        ("Sóc Trăng", "Sóc Trăng", "92"),
        ("Bạc Liêu", "Bạc Liêu", "96"),
        ("Thừa Thiên Huế", "Thừa Thiên Huế", "46"),
        ("Thua Thien Hue", "Thừa Thiên Huế", "46"),
        ("TT-Huế", "Thừa Thiên Huế", "46"),
    ],
)
def test_match_province_former(name, former_name, code):
    match = match_province(name)
    assert match.status == "former"
    assert match.code == code
    assert match.name == provinces().loc[code, "name"]
    assert match.former_name == former_name


def test_every_former_name_resolves():
    """Each of the 63 names is either a current province or a former one with its new code."""
    for former_code, row in former_provinces().iterrows():
        match = match_province(row["former_name"])
        assert match.code == row["province_code"], row["former_name"]
        if match.status == "matched":
            assert row["former_name"] in set(provinces()["short_name"])
        else:
            assert match.status == "former", row["former_name"]


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [
        (
            "Hà Giang",
            "Hà Giang: tỉnh cũ, đã hợp nhất vào tỉnh Tuyên Quang từ ngày 01/07/2025.",
            "Hà Giang is a former province, merged into Tuyên Quang on 1 July 2025.",
        ),
        (
            "ha giang",
            "Hà Giang: tỉnh cũ, đã hợp nhất vào tỉnh Tuyên Quang từ ngày 01/07/2025.",
            "Hà Giang is a former province, merged into Tuyên Quang on 1 July 2025.",
        ),
        (
            "Bình Dương",
            "Bình Dương: tỉnh cũ, đã hợp nhất vào thành phố Hồ Chí Minh từ ngày 01/07/2025.",
            "Bình Dương is a former province, merged into Hồ Chí Minh City on 1 July 2025.",
        ),
        (
            "Kiên Giang",
            "Kiên Giang: tỉnh cũ, đã hợp nhất vào tỉnh An Giang từ ngày 01/07/2025.",
            "Kiên Giang is a former province, merged into An Giang on 1 July 2025.",
        ),
        (
            "Quảng Nam",
            "Quảng Nam: tỉnh cũ, đã hợp nhất vào thành phố Đà Nẵng từ ngày 01/07/2025.",
            "Quảng Nam is a former province, merged into Đà Nẵng City on 1 July 2025.",
        ),
        (
            "Thừa Thiên Huế",
            "Thừa Thiên Huế: tên cũ của thành phố Huế, "
            "thành phố trực thuộc trung ương từ ngày 01/01/2025.",
            "Thừa Thiên Huế is the former name of Huế, a centrally-run city since 1 January 2025.",
        ),
    ],
)
def test_former_province_message(name, vi, en):
    match = match_province(name)
    assert match.message() == vi
    assert match.message("vi") == vi
    assert match.message("en") == en


@pytest.mark.parametrize(
    ("name", "code"),
    [("Hà Giang", "08"), ("Bình Dương", "79"), ("Thừa Thiên Huế", "46"), ("Long An", "80")],
)
def test_former_province_lists_new_province(name, code):
    match = match_province(name)
    assert match.status == "former"
    assert match.candidates == (Candidate(code, provinces().loc[code, "name"], 1.0),)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hà Nội.", "01"),
        ("Khánh Hòa;", "56"),
        ("Hà Nội,", "01"),
        ("(Hà Nội)", "01"),
        ("[Hà Nội]", "01"),
        ("“Hà Nội”", "01"),
        ("Hà Nội*", "01"),
        ("Tỉnh Khánh Hòa.", "56"),
        ("Hà\u200bNội", "01"),
        ("Hà\u200cNội", "01"),
        ("Hà \u200dNội", "01"),
        ("\ufeffHà Nội", "01"),
        ("Khánh\u00ad Hòa", "56"),
        ("Kh\u00adánh Hòa", "56"),
    ],
)
def test_match_province_ignores_punctuation_and_invisibles(name, code):
    match = match_province(name)
    assert match.status == "matched"
    assert match.code == code


def test_current_and_former_name_matches_current():
    for name, code in [("Tuyên Quang", "08"), ("Hà Nội", "01"), ("An Giang", "91"), ("Lào Cai", "15")]:
        match = match_province(name)
        assert match.status == "matched", name
        assert match.code == code, name
        assert match.former_name is None


def test_matched_province_message():
    match = match_province("TP HCM")
    assert match.message() == "“TP HCM” khớp với Thành phố Hồ Chí Minh (mã 79)."
    assert match.message("en") == "“TP HCM” matched Thành phố Hồ Chí Minh (code 79)."


def test_unknown_province_with_candidates():
    match = match_province("Ha Noii")
    assert match.status == "unknown"
    assert match.code is None
    assert match.candidates == (Candidate("01", "Thành phố Hà Nội", 0.923),)
    assert match.message() == "Không tìm thấy “Ha Noii”. Tên gần nhất: Thành phố Hà Nội."
    assert match.message("en") == "“Ha Noii” was not found. Closest names: Thành phố Hà Nội."


def test_unknown_province_candidates_best_first():
    match = match_province("Quang")
    assert match.status == "unknown"
    assert [candidate.code for candidate in match.candidates] == ["44", "22", "51", "08"]
    scores = [candidate.score for candidate in match.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score < 1 for score in scores)


@pytest.mark.parametrize("name", ["Foo", "Bac", "Hà Tây Ninh Bình Định"])
def test_unknown_province_without_candidates(name):
    match = match_province(name)
    assert match.status == "unknown"
    assert match.candidates == ()


def test_unknown_province_message_without_candidates():
    match = match_province("Foo")
    assert match.message() == "Không tìm thấy “Foo” trong danh sách đơn vị hành chính."
    assert match.message("en") == "“Foo” was not found among the official administrative units."


def test_empty_name_message():
    match = match_province("  ")
    assert match.status == "unknown"
    assert match.message() == "Tên đơn vị hành chính bị để trống."
    assert match.message("en") == "The unit name is empty."


def test_abbreviations_name_real_provinces():
    names = set(provinces()["short_name"]) | set(former_provinces()["former_name"])
    for abbreviation, name in PROVINCE_ABBREVIATIONS.items():
        assert name in names, abbreviation


def test_portal_province_names(portal_sheets):
    """The portal names every province as "UBND tỉnh …" or "UBND Thành phố …"."""
    names = portal_sheets["Điểm năm"]["TEN"]
    matches = [match_province(name) for name in names]
    assert [match.status for match in matches] == ["matched"] * 34
    assert {match.code for match in matches} == set(provinces().index)


def test_every_official_province_matches_itself():
    for code, row in provinces().iterrows():
        for written in (row["name"], row["short_name"], nfd(row["name"]), nfd(row["short_name"])):
            match = match_province(written)
            assert match.status == "matched", written
            assert match.code == code, written


# --- Splitting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("UBND xã Tân Hòa - tỉnh An Giang", ("Tân Hòa", "An Giang")),
        ("UBND xã Đông Thái - tỉnh An Giang", ("Đông Thái", "An Giang")),
        ("UBND Đặc khu Phú Quốc - tỉnh An Giang", ("Phú Quốc", "An Giang")),
        ("Xã Tân Hòa, tỉnh An Giang", ("Tân Hòa", "An Giang")),
        ("Xã Tân Hòa,tỉnh An Giang", ("Tân Hòa", "An Giang")),
        ("Phường Hoàn Kiếm - Thành phố Hà Nội", ("Hoàn Kiếm", "Hà Nội")),
        ("Phường Hoàn Kiếm-TP Hà Nội", ("Hoàn Kiếm", "Hà Nội")),
        ("Phường Hoàn Kiếm – Hà Nội", ("Hoàn Kiếm", "Hà Nội")),
        ("Tân Hội, An Giang", ("Tân Hội", "An Giang")),
        ("Xã X, huyện Z, tỉnh Hà Giang", ("X", "Hà Giang")),
        ("Xã X - Huyện Z - Tỉnh Hà Giang", ("X", "Hà Giang")),
        ("Phường Bà Rịa - tỉnh Bà Rịa - Vũng Tàu", ("Bà Rịa", "Bà Rịa - Vũng Tàu")),
        ("Phường Văn Miếu - Quốc Tử Giám - TP Hà Nội", ("Văn Miếu - Quốc Tử Giám", "Hà Nội")),
        ("Xã Chân Mây – Lăng Cô, TP Huế", ("Chân Mây – Lăng Cô", "Huế")),
        ("Phường Văn Miếu - Quốc Tử Giám", ("Văn Miếu - Quốc Tử Giám", "")),
        ("Phường Lâm Viên - Đà Lạt", ("Lâm Viên - Đà Lạt", "")),
        ("Phường X, thành phố Đà Lạt", ("X, thành phố Đà Lạt", "")),
        ("Xã Tân Hòa", ("Tân Hòa", "")),
        ("Tân Hòa", ("Tân Hòa", "")),
        ("UBND tỉnh An Giang", (None, "An Giang")),
        ("UBND Thành phố Hồ Chí Minh", (None, "Hồ Chí Minh")),
        ("Bà Rịa - Vũng Tàu", (None, "Bà Rịa - Vũng Tàu")),
        ("Xã Tân Hòa - tỉnh Foo", ("Tân Hòa", "Foo")),
    ],
)
def test_split_unit_name(text, parts):
    assert split_unit_name(text) == parts


# --- Communes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "province", "code"),
    [
        # Unicode form
        (nfd("Phường Hoàn Kiếm"), None, "00070"),
        (nfd("Hoàn Kiếm"), "01", "00070"),
        # Tone placement: the official list has both "Thuận Hoà" and "Thuận Hòa"
        ("Thuận Hòa", "08", "00922"),
        ("Thuận Hoà", "92", "31582"),
        ("Xã Thanh Thủy", "08", "00928"),
        ("Thanh Thuỷ", "25", "08674"),
        ("Chiêm Hóa", None, "02287"),
        ("Định Hoá", "19", "05569"),
        ("Hoà An", "08", "02353"),
        # Apostrophes
        ("Ea H'Leo", None, "24184"),
        ("Ea H’leo", None, "24184"),
        ("Ea Hʼleo", "66", "24184"),
        ("Ea Hleo", "Đắk Lắk", "24184"),
        ("Xã Cư M'gar", None, "24280"),
        ("Cu Mgar", None, "24280"),
        ("M'Drắk", None, "24412"),
        ("Ea M'Droh", None, "24286"),
        ("Cư M'ta", None, "24436"),
        ("Phường B’Lao", None, "24829"),
        ("D’Ran", "68", "24934"),
        # Dashes with and without spaces
        ("Văn Miếu - Quốc Tử Giám", None, "00196"),
        ("Văn Miếu-Quốc Tử Giám", None, "00196"),
        ("Văn Miếu – Quốc Tử Giám", "01", "00196"),
        ("Phường Văn Miếu—Quốc Tử Giám", None, "00196"),
        ("Chân Mây - Lăng Cô", None, "20152"),
        ("Chân Mây-Lăng Cô", "46", "20152"),
        ("Lâm Viên-Đà Lạt", None, "24778"),
        ("Xuân Hương – Đà Lạt", "68", "24781"),
        # Case and spacing
        ("PHƯỜNG HOÀN KIẾM", None, "00070"),
        ("phường  hoàn\u00a0kiếm", None, "00070"),
        ("  Hoàn Kiếm ", "01", "00070"),
        # Prefixes
        ("UBND phường Hoàn Kiếm", None, "00070"),
        ("Ủy ban nhân dân phường Hoàn Kiếm", None, "00070"),
        ("Phuong Hoan Kiem", None, "00070"),
        ("Hoan Kiem", None, "00070"),
        ("Đặc khu Phú Quốc", None, "31078"),
        ("Phú Quốc", None, "31078"),
        ("Dac khu Con Dao", None, "26732"),
        ("Đặc khu Hoàng Sa", None, "20333"),
        ("Trường Sa", "Khánh Hòa", "22736"),
        ("Thị trấn Ba Chẽ", "22", "06970"),
        ("Xã Xa Dung", None, "03208"),
        ("Xa Dung", None, "03208"),
        ("Tinh Bien", "An Giang", "30520"),
        ("Tịnh Biên", None, "30520"),
        ("Phường Tĩnh Gia", None, "16561"),
        # The portal form and other ways to name the province in the text
        ("UBND xã Đông Thái - tỉnh An Giang", None, "31006"),
        ("UBND Xã Nhơn Hội - tỉnh An Giang", None, "30346"),
        ("UBND Đặc khu Thổ Châu - tỉnh An Giang", None, "31105"),
        ("UBND phường Tô Châu - tỉnh An Giang", None, "30766"),
        ("Xã Tân Hòa, tỉnh Tây Ninh", None, "25531"),
        ("Xã Tân Hòa - Tây Ninh", None, "25531"),
        ("Tân Hòa, Vĩnh Long", None, "29371"),
        ("Phường Tân Hòa - Thành phố Hồ Chí Minh", None, "26995"),
        ("Phường Tân Hòa - TP HCM", None, "26995"),
        ("Xã Tân Hòa, tỉnh Bến Tre", None, "29371"),
        ("Xã Phú Thọ - Đồng Tháp", None, "30034"),
    ],
)
def test_match_commune(name, province, code):
    match = match_commune(name, province)
    assert match.status == "matched", match.message("en")
    assert match.code == code
    assert match.name == communes().loc[code, "name"]
    assert match.candidates == ()


@pytest.mark.parametrize(
    ("province", "code"),
    [
        ("80", "25531"),
        ("Tây Ninh", "25531"),
        ("tỉnh Tây Ninh", "25531"),
        ("Tay Ninh", "25531"),
        ("Long An", "25531"),  # a former province, now part of Tây Ninh
        ("79", "26995"),
        ("TP HCM", "26995"),
        ("25", "04792"),
        ("82", "28702"),
        ("86", "29371"),
        ("92", "31342"),
    ],
)
def test_same_name_matches_within_province(province, code):
    match = match_commune("Tân Hòa", province)
    assert match.status == "matched"
    assert match.code == code


def test_same_name_ambiguous_nationally():
    match = match_commune("Tân Hòa")
    assert match.status == "ambiguous"
    assert match.code is None
    assert match.name is None
    assert match.candidates == (
        Candidate("04792", "Phường Tân Hòa (Phú Thọ)", 1.0),
        Candidate("26995", "Phường Tân Hòa (Hồ Chí Minh)", 1.0),
        Candidate("25531", "Xã Tân Hòa (Tây Ninh)", 1.0),
        Candidate("28702", "Xã Tân Hòa (Đồng Tháp)", 1.0),
        Candidate("29371", "Xã Tân Hòa (Vĩnh Long)", 1.0),
    )
    assert match.message() == (
        "“Tân Hòa” khớp với nhiều đơn vị, trong đó có: Phường Tân Hòa (Phú Thọ), "
        "Phường Tân Hòa (Hồ Chí Minh), Xã Tân Hòa (Tây Ninh), Xã Tân Hòa (Đồng Tháp), "
        "Xã Tân Hòa (Vĩnh Long). Hãy ghi rõ tỉnh, thành phố."
    )
    assert match.message("en") == (
        "“Tân Hòa” matches several units, including Phường Tân Hòa (Phú Thọ), "
        "Phường Tân Hòa (Hồ Chí Minh), Xã Tân Hòa (Tây Ninh), Xã Tân Hòa (Đồng Tháp), "
        "Xã Tân Hòa (Vĩnh Long). Give the province to choose one."
    )


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Phú Thọ", {"07942", "27226", "30034"}),
        ("Phường Phú Thọ", {"07942", "27226"}),
        ("Thuận Hòa", {"00922", "31582"}),
        ("Thuận Hoà", {"00922", "31582"}),
        ("Thuan Hoa", {"00922", "19786", "31582"}),
        ("Quảng Ninh", {"16540", "19207"}),
        ("Khánh Hòa", {"04333", "31789"}),
    ],
)
def test_ambiguous_commune_lists_units(name, codes):
    match = match_commune(name)
    assert match.status == "ambiguous"
    found = {candidate.code for candidate in match.candidates}
    assert codes <= found
    assert all(candidate.score == 1.0 for candidate in match.candidates)
    assert len(match.candidates) <= 5


def test_ambiguous_lists_five_of_many():
    """"Tân An" is a commune name in ten provinces. The first five by code are listed."""
    table = communes()
    # The official list writes one of them "Phường  Tân An", with two spaces.
    tied = table[table["short_name"].str.strip() == "Tân An"].sort_values(["province_code"])
    assert tied["province_code"].nunique() == 10

    match = match_commune("Tân An")
    assert match.status == "ambiguous"
    assert [candidate.code for candidate in match.candidates] == list(tied.index[:5])


def test_ambiguous_candidates_name_their_province():
    match = match_commune("Quảng Ninh")
    assert [candidate.name for candidate in match.candidates] == [
        "Xã Quảng Ninh (Thanh Hóa)",
        "Xã Quảng Ninh (Quảng Trị)",
    ]


@pytest.mark.parametrize(
    ("name", "province", "code"),
    [
        ("Xã Phú Thọ", None, "30034"),
        ("Phuong My Tho", "82", "28261"),
        ("Xa My Tho", "82", "30076"),
        ("Phuong Dong Tien", "38", "15853"),
        ("Xa Dong Tien", "38", "15724"),
    ],
)
def test_division_prefix_breaks_tie(name, province, code):
    match = match_commune(name, province)
    assert match.status == "matched"
    assert match.code == code


@pytest.mark.parametrize(
    ("name", "province", "codes"),
    [
        ("Thanh An", "79", ("25807", "27676")),
        ("My Tho", "82", ("28261", "30076")),
        ("Van Lang", "19", ("02143", "05665")),
        ("Cam Giang", "31", ("10888", "10903")),
        ("Son Ha", "51", ("21289", "21292")),
        ("Ba To", "51", ("21484", "21523")),
        ("Loc Thanh", "75", ("25280", "25294")),
        ("Tan Thanh", "80", ("25534", "27826")),
        ("Tan Thanh", "82", ("29938", "30157")),
        ("Dong Tien", "38", ("15724", "15853")),
    ],
)
def test_names_without_diacritics_ambiguous_within_province(name, province, codes):
    """These pairs differ only in diacritics, so a name typed without them fits both."""
    match = match_commune(name, province)
    assert match.status == "ambiguous"
    assert tuple(sorted(candidate.code for candidate in match.candidates)) == codes


def test_ambiguous_within_province_message():
    match = match_commune("Thanh An", "79")
    assert match.message() == (
        "“Thanh An” khớp với nhiều đơn vị, trong đó có: Xã Thanh An (Hồ Chí Minh), "
        "Xã Thạnh An (Hồ Chí Minh). Hãy gõ tên có dấu."
    )
    assert match.message("en") == (
        "“Thanh An” matches several units, including Xã Thanh An (Hồ Chí Minh), "
        "Xã Thạnh An (Hồ Chí Minh). Type the name with diacritics to choose one."
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Xã Thanh An", "25807"),
        ("Xã Thạnh An", "27676"),
        ("Thạnh An", "27676"),
    ],
)
def test_diacritics_single_out_unit(name, code):
    match = match_commune(name, "79")
    assert match.status == "matched"
    assert match.code == code


@pytest.mark.parametrize(
    ("name", "province", "candidate_codes"),
    [
        ("Thành phố Thủ Đức", None, ["26824"]),
        ("TP Thủ Dầu Một", None, ["25747"]),
        ("TP. Thủ Dầu Một", None, ["25747"]),
        ("Thành phố Bà Rịa", None, ["26560"]),
        ("Thành phố Vũng Tàu", None, ["26506"]),
        ("Thành phố Bến Cát", None, ["25813"]),
        ("thanh pho Thu Duc", None, ["26824"]),
        ("Thị xã Bến Cát", None, ["25813"]),
        ("Thi xa Ben Cat", None, ["25813"]),
        ("Huyện Củ Chi", None, ["27553"]),
        ("UBND huyện Củ Chi", None, ["27553"]),
        ("Quận 1", None, []),
        ("Thành phố Thủ Đức", "79", ["26824"]),
        ("Thành phố Thủ Đức, Thành phố Hồ Chí Minh", None, ["26824"]),
        ("UBND quận 1 - TP HCM", None, []),
    ],
)
def test_district_level_commune_is_unknown(name, province, candidate_codes):
    match = match_commune(name, province)
    assert match.status == "unknown"
    assert match.code is None
    assert match.reason == "district"
    assert [candidate.code for candidate in match.candidates] == candidate_codes


def test_district_level_commune_message():
    match = match_commune("Thành phố Thủ Đức")
    assert match.message("en") == (
        "“Thành phố Thủ Đức” looks like a pre-2025 district-level unit (quận, huyện, "
        "thị xã or provincial city), and these no longer exist since 1 July 2025. "
        "Give the commune (xã or phường) name. "
        "Communes with this name: Phường Thủ Đức (Hồ Chí Minh)."
    )
    assert match.message() == (
        "“Thành phố Thủ Đức” có vẻ là đơn vị cấp huyện trước năm 2025 (quận, huyện, "
        "thị xã hoặc thành phố thuộc tỉnh), cấp này không còn từ ngày 01/07/2025. "
        "Hãy ghi tên xã, phường. Xã, phường có tên này: Phường Thủ Đức (Hồ Chí Minh)."
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Phường Thủ Đức", "26824"),
        ("Phường Thủ Đức, Thành phố Hồ Chí Minh", "26824"),
        ("Phường Thủ Dầu Một - TP HCM", "25747"),
        ("UBND xã Hòa Thuận - tỉnh An Giang", "30949"),
        ("Xã Củ Chi, huyện Củ Chi, Thành phố Hồ Chí Minh", "27553"),
        ("Quan Sơn", None),
    ],
)
def test_commune_prefix_is_not_district(name, code):
    match = match_commune(name)
    assert match.reason is None
    if code is not None:
        assert match.status == "matched"
        assert match.code == code


@pytest.mark.parametrize("name", ["-" * 5000, "-" * 10000, "a-" * 5000, "Hà Nội " * 40])
def test_long_name_is_rejected_quickly(name):
    start = time.perf_counter()
    commune = match_commune(name)
    province = match_province(name)
    elapsed = time.perf_counter() - start

    for match in (commune, province):
        assert match.status == "unknown"
        assert match.candidates == ()
        assert match.reason == "too long"
    assert "too long" in commune.message("en")
    assert "quá dài" in commune.message()
    assert elapsed < 1.0


def test_many_dashes_under_limit_are_fast():
    name = "a-" * (MAX_NAME_LENGTH // 2 - 10) + ", tỉnh An Giang"
    start = time.perf_counter()
    match = match_commune(name)
    elapsed = time.perf_counter() - start

    assert match.status == "unknown"
    assert elapsed < 1.0


def test_unknown_commune_with_candidates():
    match = match_commune("Hoàn Kiếmm", "01")
    assert match.status == "unknown"
    assert match.code is None
    assert match.candidates[0] == Candidate("00070", "Phường Hoàn Kiếm (Hà Nội)", 0.957)
    assert all(candidate.code in communes().index for candidate in match.candidates)
    assert {communes().loc[candidate.code, "province_code"] for candidate in match.candidates} == {"01"}
    assert match.message().startswith(
        "Không tìm thấy “Hoàn Kiếmm”. Tên gần nhất: Phường Hoàn Kiếm (Hà Nội), "
    )
    assert match.message("en").startswith(
        "“Hoàn Kiếmm” was not found. Closest names: Phường Hoàn Kiếm (Hà Nội), "
    )


@pytest.mark.parametrize(
    ("name", "province"),
    [("Foo", None), ("Xã Không Tồn Tại", "An Giang"), ("Qwerty Zxcv", "01")],
)
def test_unknown_commune_without_candidates(name, province):
    match = match_commune(name, province)
    assert match.status == "unknown"
    assert match.candidates == ()


def test_commune_in_unknown_province_is_unknown():
    match = match_commune("Xã Tân Hòa - tỉnh Foo")
    assert match.status == "unknown"
    assert match.code is None
    assert [candidate.code for candidate in match.candidates][:2] == ["04792", "25531"]


def test_commune_in_former_province_searches_new_province():
    match = match_commune("Xã Thanh Thủy, tỉnh Hà Giang")
    assert match.status == "matched"
    assert match.code == "00928"


def test_province_argument_overrides_text():
    match = match_commune("Xã Tân Hòa - tỉnh Tây Ninh", province="86")
    assert match.code == "29371"


@pytest.mark.parametrize(
    ("province", "message"),
    [
        ("99", r"Province code '99' not found: expected one of the 34 current two-digit codes"),
        ("Foo", r"Province 'Foo' not found\. “Foo” was not found among the official"),
        ("Quang", r"Province 'Quang' not found\. “Quang” was not found\. Closest names: Quảng Trị"),
    ],
)
def test_invalid_province_argument(province, message):
    with pytest.raises(ValueError, match=message):
        match_commune("Tân Hòa", province)


@pytest.mark.parametrize("value", [None, 12])
def test_non_text_name_rejected(value):
    with pytest.raises(TypeError, match="name must be a str"):
        match_commune(value)
    with pytest.raises(TypeError, match="name must be a str"):
        match_province(value)


def test_invalid_language_rejected():
    with pytest.raises(ValueError, match=r"Invalid language 'fr': expected one of \('vi', 'en'\)"):
        match_province("Hà Nội").message("fr")


def test_invalid_status_rejected():
    with pytest.raises(ValueError, match="Invalid status 'guessed'"):
        Match("Hà Nội", "guessed", None, None, ())


def test_portal_commune_names(portal_sheets):
    """All 102 communes of An Giang in the portal form, one of them typed in NFD."""
    names = portal_sheets["Xã Phường"]["TEN"]
    assert any(not unicodedata.is_normalized("NFC", name) for name in names)

    matches = [match_commune(name) for name in names]
    unmatched = [match.query for match in matches if match.status != "matched"]
    assert unmatched == []
    codes = {match.code for match in matches}
    assert len(codes) == 102
    assert codes == set(communes().index[communes()["province_code"] == "91"])


def test_portal_commune_name_is_official(portal_sheets):
    names = portal_sheets["Xã Phường"]["TEN"]
    for name in names:
        commune, province = split_unit_name(name)
        match = match_commune(name)
        assert province == "An Giang"
        assert communes().loc[match.code, "short_name"] == unicodedata.normalize("NFC", commune)


# --- Every official name -----------------------------------------------------------


def _written_forms(row) -> list[str]:
    forms = [row["name"], row["short_name"], nfd(row["name"]), nfd(row["short_name"])]
    forms += [ascii_apostrophes(form) for form in forms]
    return list(dict.fromkeys(forms))


# "Thanh An" has no diacritics, so it may be "Thạnh An" typed without them, which is
# another commune of the same city.
WITHOUT_DIACRITICS_AMBIGUOUS = {("25807", "Thanh An")}


def test_every_official_commune_matches_itself():
    failures = set()
    for code, row in communes().iterrows():
        for written in _written_forms(row):
            match = match_commune(written, row["province_code"])
            if match.code != code:
                failures.add((code, written))
                assert match.status == "ambiguous", written
                assert code in {candidate.code for candidate in match.candidates}, written
    assert failures == WITHOUT_DIACRITICS_AMBIGUOUS


def test_every_official_commune_name_found_nationally():
    """Without a province, an official name matches its unit or lists it among the tied ones."""
    for code, row in communes().iterrows():
        match = match_commune(row["name"])
        if match.status == "matched":
            assert match.code == code, row["name"]
        else:
            assert match.status == "ambiguous", row["name"]
            assert all(candidate.score == 1.0 for candidate in match.candidates)


def test_matching_all_communes_is_fast():
    """Matching the 3,321 official names within their provinces takes under a second."""
    rows = list(zip(communes()["name"], communes()["province_code"]))
    match_commune(*rows[0])  # builds the indices

    start = time.perf_counter()
    matches = [match_commune(name, province) for name, province in rows]
    elapsed = time.perf_counter() - start

    assert len(matches) == COMMUNE_COUNT
    assert elapsed < 1.0


@pytest.mark.parametrize("written", ["Đăk Lăk", "Đăk Lắk", "Đắk Lăk", "Đắc Lắc", "UBND tỉnh Đăk Lăk"])
def test_dak_lak_spellings(written):
    match = match_province(written)
    assert match.status == "matched"
    assert match.name == "Đắk Lắk"


@pytest.mark.parametrize(
    ("written", "code"), [("Phường Ba Đình (Hà Nội)", "00004"), ("Xã Tân Hội (Tây Ninh)", None), ("Phường Sài Gòn (TP HCM)", None)]
)
def test_commune_with_bracketed_province(written, code):
    match = match_commune(written)
    assert match.status == "matched"
    if code is not None:
        assert match.code == code
