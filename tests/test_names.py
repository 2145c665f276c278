"""Name keys and prefix stripping for Vietnamese unit names."""

from __future__ import annotations

import unicodedata

import pytest

from geo.names import (
    LEVELS,
    NameIndex,
    ascii_key,
    compact_key,
    has_diacritics,
    lookup_levels,
    name_key,
    spaced_invisibles,
    strip_district_prefix,
    strip_prefixes,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("written", "official"),
    [
        # Unicode form
        (nfd("Phường Hoàn Kiếm"), "Phường Hoàn Kiếm"),
        (nfd("Đắk Lắk"), "Đắk Lắk"),
        # Old and new tone-mark placement
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Thủy", "Thanh Thuỷ"),
        ("Chiêm Hóa", "Chiêm Hoá"),
        ("Khoả", "Khỏa"),
        ("Thuận Hòa", "Thuận Hoà"),
        (nfd("Khánh Hoà"), "Khánh Hòa"),
        ("Quỳnh", "Qùynh"),
        # Apostrophes
        ("Ea H'Leo", "Ea H’leo"),
        ("Ea H‘leo", "Ea H’leo"),
        ("Ea Hʼleo", "Ea H’leo"),
        ("Ea H`leo", "Ea H’leo"),
        ("Cư M'gar", "Cư M’gar"),
        ("D’Ran", "D'Ran"),
        ("B’Lao", "B'Lao"),
        # Dashes, with or without spaces
        ("Văn Miếu-Quốc Tử Giám", "Văn Miếu - Quốc Tử Giám"),
        ("Văn Miếu – Quốc Tử Giám", "Văn Miếu - Quốc Tử Giám"),
        ("Văn Miếu—Quốc Tử Giám", "Văn Miếu - Quốc Tử Giám"),
        ("Văn Miếu ‐ Quốc Tử Giám", "Văn Miếu - Quốc Tử Giám"),
        ("Văn Miếu −Quốc Tử Giám", "Văn Miếu - Quốc Tử Giám"),
        ("Chân Mây - Lăng Cô", "Chân Mây – Lăng Cô"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        # Case and whitespace
        ("PHƯỜNG HOÀN KIẾM", "Phường Hoàn Kiếm"),
        ("  phường   hoàn\tkiếm ", "Phường Hoàn Kiếm"),
        ("Phường\u00a0Hoàn\u00a0Kiếm", "Phường Hoàn Kiếm"),
        ("Phường Hoàn\u200b Kiếm", "Phường Hoàn Kiếm"),
        ("ĐẮK LẮK", "Đắk Lắk"),
    ],
)
def test_name_key_equal(written, official):
    assert name_key(written) == name_key(official)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Tịnh Biên", "Tỉnh Biên"),  # tone
        ("Thanh An", "Thạnh An"),  # tone against no tone
        ("Văn Lang", "Văn Lăng"),  # breve
        ("Ba Tơ", "Ba Tô"),  # horn against circumflex
        ("Đồng Tiến", "Đông Tiến"),  # tone on the same vowel
        ("Đông Hòa", "Dông Hòa"),  # đ against d
        ("Sơn Hà", "Sơn Hạ"),
    ],
)
def test_name_key_different(first, second):
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hòa", "hoa2"),
        ("Hoà", "hoa2"),
        ("Thủy", "thuy3"),
        ("Đắk Lắk", "đăk1 lăk1"),
        ("Ngã", "nga4"),
        ("Thạnh", "thanh5"),
        ("Văn Miếu-Quốc Tử Giám", "văn miêu1 quôc1 tư3 giam1"),
        ("Ea H’leo", "ea hleo"),
        ("", ""),
    ],
)
def test_name_key_value(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đắk Lắk", "dak lak"),
        ("DAK-LAK", "dak lak"),
        ("Ea H’leo", "ea hleo"),
        ("Thừa Thiên - Huế", "thua thien hue"),
        (nfd("Ngọc Hồi"), "ngoc hoi"),
        ("Sài Gòn", "sai gon"),
    ],
)
def test_ascii_key_value(text, key):
    assert ascii_key(text) == key


def test_compact_key_joins_words():
    assert compact_key("Hà Nội") == "hanoi"
    assert compact_key("Hanoi") == "hanoi"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hà Nội", True),
        ("Dak Lak", False),
        ("Đak Lak", True),
        (nfd("Huế"), True),
        ("Ea H'leo", False),
        ("", False),
    ],
)
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


@pytest.mark.parametrize("value", [None, 12, 1.5])
def test_name_key_rejects_non_text(value):
    with pytest.raises(TypeError, match="A unit name must be a str"):
        name_key(value)


def test_strip_prefixes_rejects_non_text():
    with pytest.raises(TypeError, match="A unit name must be a str, got NoneType"):
        strip_prefixes(None)


@pytest.mark.parametrize(
    ("text", "division", "rest"),
    [
        ("Tỉnh An Giang", "tỉnh", "An Giang"),
        ("tỉnh An Giang", "tỉnh", "An Giang"),
        ("TỈNH AN GIANG", "tỉnh", "AN GIANG"),
        ("Tinh An Giang", "tỉnh", "An Giang"),
        (nfd("Tỉnh An Giang"), "tỉnh", "An Giang"),
        ("Tỉnh: An Giang", "tỉnh", "An Giang"),
        ("Thành phố Hà Nội", "thành phố", "Hà Nội"),
        ("thành phố Hà Nội", "thành phố", "Hà Nội"),
        ("Thành Phố Hà Nội", "thành phố", "Hà Nội"),
        ("Thanh pho Ha Noi", "thành phố", "Ha Noi"),
        ("TP. Hồ Chí Minh", "thành phố", "Hồ Chí Minh"),
        ("TP Hà Nội", "thành phố", "Hà Nội"),
        ("Tp Huế", "thành phố", "Huế"),
        ("Tp. Huế", "thành phố", "Huế"),
        ("T.P Hà Nội", "thành phố", "Hà Nội"),
        ("T.P. Hà Nội", "thành phố", "Hà Nội"),
        ("TP.HCM", "thành phố", "HCM"),
        ("Thủ đô Hà Nội", "thành phố", "Hà Nội"),
        ("Thu do Ha Noi", "thành phố", "Ha Noi"),
        ("UBND tỉnh An Giang", "tỉnh", "An Giang"),
        ("UBND Thành phố Hồ Chí Minh", "thành phố", "Hồ Chí Minh"),
        ("UBND thành phố Huế", "thành phố", "Huế"),
        ("U.B.N.D tỉnh An Giang", "tỉnh", "An Giang"),
        ("Ủy ban nhân dân tỉnh An Giang", "tỉnh", "An Giang"),
        ("Uỷ ban nhân dân tỉnh An Giang", "tỉnh", "An Giang"),
        ("Uy ban nhan dan tinh An Giang", "tỉnh", "An Giang"),
        ("UBND - tỉnh An Giang", "tỉnh", "An Giang"),
        ("UBND An Giang", None, "An Giang"),
        ("Xã Tân Hội", "xã", "Tân Hội"),
        ("XÃ TÂN HỘI", "xã", "TÂN HỘI"),
        ("Xa Tan Hoi", "xã", "Tan Hoi"),
        ("UBND xã Tân Hội", "xã", "Tân Hội"),
        ("UBND Xã Nhơn Hội", "xã", "Nhơn Hội"),
        ("Phường Long Phú", "phường", "Long Phú"),
        ("Phuong Long Phu", "phường", "Long Phu"),
        ("Đặc khu Phú Quốc", "đặc khu", "Phú Quốc"),
        ("đặc khu Phú Quốc", "đặc khu", "Phú Quốc"),
        ("Dac khu Phu Quoc", "đặc khu", "Phu Quoc"),
        ("UBND Đặc khu Thổ Châu", "đặc khu", "Thổ Châu"),
        ("Thị trấn Ba Chẽ", "thị trấn", "Ba Chẽ"),
        ("Thi tran Ba Che", "thị trấn", "Ba Che"),
        ("Ho Chi Minh City", None, "Ho Chi Minh"),
        ("Quang Ninh Province", None, "Quang Ninh"),
        ("Hồ Chí Minh", None, "Hồ Chí Minh"),
        ("Tịnh Biên", None, "Tịnh Biên"),
        ("TPHCM", None, "TPHCM"),
        ("Xã", None, "Xã"),
        ("Tỉnh", None, "Tỉnh"),
        ("  Xã   Tân\u00a0Hội ", "xã", "Tân Hội"),
    ],
)
def test_strip_prefixes(text, division, rest):
    assert strip_prefixes(text) == (division, rest)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Tinh Bien", "Tinh Bien"),
        ("Xa Dung", "Xa Dung"),
        ("Phuong Son", "Phuong Son"),
        ("Thanh pho Ha Noi", "Thanh pho Ha Noi"),
    ],
)
def test_strip_prefixes_without_folding_keeps_plain_words(text, rest):
    assert strip_prefixes(text, fold=False) == (None, rest)


def test_strip_prefixes_folds_plain_words_by_default():
    assert strip_prefixes("Tinh Bien") == ("tỉnh", "Bien")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Hà Nội.", "Hà Nội"),
        ("Khánh Hòa;", "Khánh Hòa"),
        ("Hà Nội,", "Hà Nội"),
        ("(Hà Nội)", "Hà Nội"),
        ("[Hà Nội]", "Hà Nội"),
        ("“Hà Nội”", "Hà Nội"),
        ('"Hà Nội"', "Hà Nội"),
        ("Hà Nội*", "Hà Nội"),
        ("Hà Nội:", "Hà Nội"),
        ("\ufeffHà Nội", "Hà Nội"),
    ],
)
def test_strip_prefixes_drops_surrounding_punctuation(text, rest):
    assert strip_prefixes(text) == (None, rest)


def test_strip_prefixes_keeps_inner_punctuation():
    assert strip_prefixes("Tỉnh: Bà Rịa - Vũng Tàu.") == ("tỉnh", "Bà Rịa - Vũng Tàu")


def test_spaced_invisibles_breaks_words():
    assert spaced_invisibles("Hà\u200bNội") == "Hà Nội"
    assert spaced_invisibles("Hà\u00adNội\ufeff") == "Hà Nội "


@pytest.mark.parametrize(
    ("text", "division", "rest"),
    [
        ("Quận 1", "quận", "1"),
        ("UBND quận Ba Đình", "quận", "Ba Đình"),
        ("Huyện Củ Chi", "huyện", "Củ Chi"),
        ("huyen Cu Chi", "huyện", "Cu Chi"),
        ("Thị xã Bến Cát", "thị xã", "Bến Cát"),
        ("Thi xa Ben Cat", "thị xã", "Ben Cat"),
        ("Quan Son", None, "Quan Son"),
        ("Quân Chu", None, "Quân Chu"),
        ("Xã Tân Hòa", None, "Xã Tân Hòa"),
        ("Quận", None, "Quận"),
    ],
)
def test_strip_district_prefix(text, division, rest):
    assert strip_district_prefix(text) == (division, rest)


def test_strip_prefixes_returns_nfc():
    assert strip_prefixes(nfd("Xã Tân Hội")) == ("xã", "Tân Hội")


@pytest.mark.parametrize(
    ("query", "levels"),
    [
        ("Thanh An", ("ascii", "compact")),
        ("Xã Thanh An", LEVELS),
        ("Hà Nội", LEVELS),
        ("Ha Noi", ("ascii", "compact")),
    ],
)
def test_lookup_levels(query, levels):
    assert lookup_levels(query) == levels


@pytest.fixture
def index() -> NameIndex[str]:
    return NameIndex(
        [("Thanh An", "25807"), ("Thạnh An", "27676"), ("Thuận Hoà", "00922"), ("Hà Nội", "01")]
    )


@pytest.mark.parametrize(
    ("text", "level", "found"),
    [
        ("Thanh An", "exact", {"25807"}),
        ("Thanh An", "ascii", {"25807", "27676"}),
        ("Thạnh An", "exact", {"27676"}),
        ("Thạnh An", "ascii", set()),
        ("Thuận Hòa", "exact", {"00922"}),
        ("Thuan Hoa", "ascii", {"00922"}),
        ("Hanoi", "ascii", set()),
        ("Hanoi", "compact", {"01"}),
        ("Hànội", "compact", set()),
    ],
)
def test_name_index_find(index, text, level, found):
    assert index.find(text, level) == found


def test_name_index_rejects_unknown_level(index):
    with pytest.raises(ValueError, match=r"Invalid level 'fuzzy': expected one of \('exact'"):
        index.find("Hà Nội", "fuzzy")


def test_vietnamese_sort_order():
    from geo.names import vietnamese_sort_key

    names = ["Đông Thái", "Duy Tiên", "Ưng Hòa", "Uông Bí", "Ăn Khê", "An Giang", "Tấn Mỹ", "Tần Lập", "Tan An"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An Giang",
        "Ăn Khê",
        "Duy Tiên",
        "Đông Thái",
        "Tan An",
        "Tần Lập",
        "Tấn Mỹ",
        "Uông Bí",
        "Ưng Hòa",
    ]


def test_vietnamese_sort_tones_break_ties():
    from geo.names import vietnamese_sort_key

    assert sorted(["Má", "Mà", "Ma", "Mạ", "Mả", "Mã"], key=vietnamese_sort_key) == ["Ma", "Mà", "Má", "Mả", "Mã", "Mạ"]
