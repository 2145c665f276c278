"""Parsing single cells as people fill them in: statuses, yes/no, counts, rates, dates, codes.

Also the cells that no parser accepts: Excel error values and formulas never calculated.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from monitoring.reading import Percent, Uncalculated
from monitoring.values import (
    ValueProblem,
    is_excel_error,
    parse_code,
    parse_count,
    parse_date,
    parse_number,
    parse_rate,
    parse_status,
    parse_text,
    parse_yes_no,
    rate_scale,
)

EMPTY_CELLS = [None, "", "   ", "\u00a0", float("nan"), np.nan, pd.NA, pd.NaT]

TODAY = date(2025, 12, 31)


# --- ValueProblem -------------------------------------------------------------------


def test_problem_is_value_error():
    assert issubclass(ValueProblem, ValueError)


def test_problem_messages():
    problem = ValueProblem("Sai.", "Wrong.")

    assert str(problem) == "Wrong."
    assert problem.message() == "Sai."
    assert problem.message("vi") == "Sai."
    assert problem.message("en") == "Wrong."


# --- parse_status -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("xanh", "xanh"), ("XANH", "xanh"), ("Xanh", "xanh"), ("Xanh lá", "xanh"), ("xanh la", "xanh"),
        ("Xanh lá cây", "xanh"), ("green", "xanh"), ("Green", "xanh"), ("G", "xanh"), ("g", "xanh"),
        ("vàng", "vang"), ("Vang", "vang"), ("VÀNG", "vang"), ("yellow", "vang"), ("Y", "vang"), ("V", "vang"),
        ("đỏ", "do"), ("Đỏ", "do"), ("Do", "do"), ("DO", "do"), ("red", "do"), ("R", "do"), ("Đ", "do"),
        ("D", "do"), ("đ", "do"), ("Màu đỏ", "do"), (" Xanh. ", "xanh"),
        ("🟢", "xanh"), ("🟡", "vang"), ("🔴", "do"),
    ],
)
def test_status_accepted(value, expected):
    assert parse_status(value) == expected


@pytest.mark.parametrize(
    "value", ["Amber", "amber", "AMBER", "orange", "Orange", "cam", "Cam", "màu cam", "da cam", "Màu da cam", " Amber. "]
)
def test_status_amber_is_vang(value):
    assert parse_status(value) == "vang"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_status_unicode_form(form):
    assert parse_status(unicodedata.normalize(form, "Đỏ")) == "do"


def test_status_zero_width_space():
    assert parse_status("Vàng\u200b") == "vang"


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_status_empty(value):
    assert parse_status(value) is None


@pytest.mark.parametrize("value", ["tím", "xanh dương", "X", "ok", 1, True, 0.5, Percent(0.5), datetime(2025, 7, 15)])
def test_status_rejected(value):
    with pytest.raises(ValueProblem):
        parse_status(value)


def test_status_message():
    with pytest.raises(ValueProblem) as caught:
        parse_status("tím")

    assert caught.value.message("vi") == 'Trạng thái "tím" không hợp lệ. Hãy ghi Xanh, Vàng hoặc Đỏ.'
    assert '"tím"' in caught.value.message("en")


# --- parse_yes_no -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["có", "Có", "CÓ", "co", "x", "X", "✓", "✔", "✔️", "1", 1, 1.0, True, np.True_, "yes", "Yes", "y", "true",
     "TRUE", "đạt", "Đạt", "dat", "rồi", "Đã có"],
)
def test_yes_no_true(value):
    assert parse_yes_no(value) is True


@pytest.mark.parametrize(
    "value",
    ["không", "Không", "khong", "k", "K", "ko", "0", 0, 0.0, False, "no", "n", "false", "FALSE", "chưa",
     "Chưa", "chưa đạt", "Chưa đạt", "-", "–", "—"],
)
def test_yes_no_false(value):
    assert parse_yes_no(value) is False


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_yes_no_empty(value):
    assert parse_yes_no(value) is None


@pytest.mark.parametrize("value", ["2", 2, 0.5, "có thể", "maybe", Percent(1.0), date(2025, 7, 15)])
def test_yes_no_rejected(value):
    with pytest.raises(ValueProblem):
        parse_yes_no(value)


def test_yes_no_message():
    with pytest.raises(ValueProblem) as caught:
        parse_yes_no("có thể")

    assert '"có thể"' in caught.value.message("vi")
    assert '"Có"' in caught.value.message("vi")
    assert "empty" in caught.value.message("en")


# --- parse_count --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0", 0), ("12", 12), ("1.234", 1234), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234", 1234),
        ("1,234", 1234), ("1.234.567", 1234567), ("1,234,567", 1234567), (" 45 ", 45), ("+7", 7),
        ("12,0", 12), ("12.00", 12), (1234, 1234), (1234.0, 1234), (np.int64(5), 5), (np.float64(6.0), 6),
    ],
)
def test_count_accepted(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("\u00a01234", 1234), ("1234\u00a0", 1234), ("\u202f1234\u202f", 1234), ("\u00a01\u00a0234\u00a0", 1234),
        ("1\u202f234\u202f567", 1234567), ("1\u00a0234\u202f567", 1234567),
    ],
)
def test_count_no_break_spaces(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["1\u00a023", "12\u00a034\u00a05"])
def test_count_no_break_space_not_grouping(value):
    with pytest.raises(ValueProblem, match="not a number"):
        parse_count(value)


def test_count_type():
    assert type(parse_count(1234.0)) is int


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_count_empty(value):
    assert parse_count(value) is None


@pytest.mark.parametrize("value", ["12,5", "12.5", 12.5, "1.5", "1234.5678"])
def test_count_not_whole(value):
    with pytest.raises(ValueProblem, match="not a whole number"):
        parse_count(value)


@pytest.mark.parametrize("value", ["-3", "−3", -3, -3.0, "-1.234"])
def test_count_negative(value):
    with pytest.raises(ValueProblem, match="negative"):
        parse_count(value)


@pytest.mark.parametrize("value", ["abc", "12 hồ sơ", "1.23.4", "1,23,456", True, float("inf"), date(2025, 7, 15)])
def test_count_not_number(value):
    with pytest.raises(ValueProblem, match="not a number"):
        parse_count(value)


def test_count_percent_cell():
    with pytest.raises(ValueProblem, match="formatted as a percentage"):
        parse_count(Percent(0.5))


def test_count_message():
    with pytest.raises(ValueProblem) as caught:
        parse_count("12,5")

    assert caught.value.message("vi") == 'Số lượng "12,5" không phải số nguyên. Hãy ghi một số nguyên, ví dụ 12.'


# --- parse_number -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("18,75", 18.75), ("18.75", 18.75), ("18", 18.0), (" 9,5 ", 9.5), ("-0,5", -0.5), (18.75, 18.75),
     (18, 18.0), ("1.234", 1.234), ("0,1", 0.1)],
)
def test_number_accepted(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("\u00a018,75", 18.75), ("18,75\u00a0", 18.75), ("\u202f18,75\u202f", 18.75), ("1\u00a0234,5", 1234.5),
        ("1\u202f234,5", 1234.5), ("-1\u00a0234,5", -1234.5), ("1\u00a0234\u00a0567,25", 1234567.25),
        ("1\u202f234", 1234.0),
    ],
)
def test_number_no_break_spaces(value, expected):
    assert parse_number(value) == expected


def test_number_type():
    assert type(parse_number(18)) is float


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_number_empty(value):
    assert parse_number(value) is None


@pytest.mark.parametrize("value", ["abc", "18,75 điểm", "1.2.3", True, float("inf"), datetime(2025, 7, 15)])
def test_number_rejected(value):
    with pytest.raises(ValueProblem, match="not a number"):
        parse_number(value)


def test_number_percent_cell():
    with pytest.raises(ValueProblem, match="formatted as a percentage"):
        parse_number(Percent(0.1875))


# --- parse_rate and rate_scale --------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("85,5%", 0.855), ("85.5%", 0.855), ("85,5 %", 0.855), ("100%", 1.0), ("0%", 0.0), ("85,5", 0.855),
        (85.5, 0.855), (0.855, 0.855), ("0,855", 0.855), (Percent(0.855), 0.855), (Percent(1.0), 1.0),
        (1, 1.0), (0, 0.0), (100, 1.0), (Percent(1.0000000000000002), 1.0),
    ],
)
def test_rate_accepted(value, expected):
    assert parse_rate(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["85,5\u00a0%", "85,5\u202f%", "85,5 %", "\u00a085,5 %\u00a0", "85.5 %"])
def test_rate_space_before_percent(value):
    assert parse_rate(value) == pytest.approx(0.855)


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_rate_empty(value):
    assert parse_rate(value) is None


@pytest.mark.parametrize("value", ["150%", 150, "-5%", -0.1, Percent(1.2), "101"])
def test_rate_out_of_range(value):
    with pytest.raises(ValueProblem, match="outside 0–100%"):
        parse_rate(value)


def test_rate_out_of_range_message():
    with pytest.raises(ValueProblem) as caught:
        parse_rate("150%")

    assert '"150%"' in caught.value.message("vi")


@pytest.mark.parametrize("value", ["abc", "85,5%%", "%", True, date(2025, 7, 15)])
def test_rate_not_number(value):
    with pytest.raises(ValueProblem, match="not a number"):
        parse_rate(value)


@pytest.mark.parametrize(
    "values, expected",
    [
        ([0.5, 0.855, 1, None], "fraction"),
        ([0.5, 85.5, None], "percent"),
        (["0,5", "85,5"], "percent"),
        (["0,5", "0,9"], "fraction"),
        ([1, 0, 1], "fraction"),
        (["150%", Percent(0.5), 0.5], "fraction"),
        (["abc", 0.5, True], "fraction"),
        ([], "fraction"),
    ],
)
def test_rate_scale(values, expected):
    assert rate_scale(values) == expected


def test_rate_percent_scale_small_value():
    assert parse_rate(1, scale="percent") == pytest.approx(0.01)


def test_rate_percent_scale_text():
    assert parse_rate("0,5", scale="percent") == pytest.approx(0.005)


def test_rate_fraction_scale_keeps_large_value():
    with pytest.raises(ValueProblem, match="outside"):
        parse_rate(85.5, scale="fraction")


def test_rate_scale_ignored_for_percent_sign():
    assert parse_rate("85%", scale="fraction") == pytest.approx(0.85)


def test_rate_scale_ignored_for_percent_cell():
    assert parse_rate(Percent(0.85), scale="percent") == pytest.approx(0.85)


def test_rate_column_judged_together():
    column = [0.5, 1, 85.5]
    scale = rate_scale(column)

    assert [parse_rate(value, scale) for value in column] == pytest.approx([0.005, 0.01, 0.855])


def test_rate_invalid_scale():
    with pytest.raises(ValueError, match="scale"):
        parse_rate(0.5, scale="per-mille")


# --- parse_date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "15/07/2025", "15-07-2025", "15.07.2025", "2025-07-15", "15/7/2025", "2025/07/15", "15/07/25",
        "15/07/2025 00:00:00", "15/07/2025 08:30", "2025-07-15T00:00:00", " 15 / 07 / 2025 ",
        "ngày 15 tháng 7 năm 2025", "Ngày 15 tháng 07 năm 2025", "15 tháng 7, 2025", "20250715", "45853",
        45853, 45853.0, 45853.75, 20250715, datetime(2025, 7, 15), datetime(2025, 7, 15, 14, 30),
        date(2025, 7, 15), pd.Timestamp("2025-07-15 09:00"), np.datetime64("2025-07-15"),
    ],
)
def test_date_accepted(value):
    assert parse_date(value, today=TODAY) == pd.Timestamp("2025-07-15")


def test_date_day_first():
    assert parse_date("03/04/2025", today=TODAY) == pd.Timestamp("2025-04-03")


def test_date_type():
    parsed = parse_date("15/07/2025", today=TODAY)

    assert type(parsed) is pd.Timestamp
    assert parsed == parsed.normalize()


@pytest.mark.parametrize("value", EMPTY_CELLS + [np.datetime64("NaT")])
def test_date_empty(value):
    assert parse_date(value, today=TODAY) is None


@pytest.mark.parametrize(
    "value",
    ["31/02/2025", "32/01/2025", "15/13/2025", "abc", "07/2025", "2025", 2025, 15, -1, 1e12, True,
     Percent(0.5), "15/07/2025 kèm ghi chú"],
)
def test_date_invalid(value):
    with pytest.raises(ValueProblem, match="Invalid date"):
        parse_date(value, today=TODAY)


def test_date_invalid_message():
    with pytest.raises(ValueProblem) as caught:
        parse_date("31/02/2025", today=TODAY)

    assert '"31/02/2025"' in caught.value.message("vi")
    assert "ngày/tháng/năm" in caught.value.message("vi")


def test_date_future():
    with pytest.raises(ValueProblem, match="in the future") as caught:
        parse_date("01/01/2026", today=TODAY)

    assert "01/01/2026" in caught.value.message("vi")
    assert "tương lai" in caught.value.message("vi")


def test_date_today_accepted():
    assert parse_date("31/12/2025", today=TODAY) == pd.Timestamp("2025-12-31")


def test_date_today_as_datetime():
    assert parse_date("31/12/2025", today=datetime(2025, 12, 31, 8)) == pd.Timestamp("2025-12-31")


def test_date_default_today():
    with pytest.raises(ValueProblem, match="in the future"):
        parse_date(date.today().replace(year=date.today().year + 1))


# --- parse_text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("  Đã cấp   chữ ký số \n", "Đã cấp chữ ký số"),
        ("Dòng 1\nDòng 2", "Dòng 1 Dòng 2"),
        (unicodedata.normalize("NFD", "Khánh Hòa"), "Khánh Hòa"),
        ("\u00a0Hà\u00a0Nội\u200b", "Hà Nội"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (date(2025, 7, 15), "15/07/2025"),
    ],
)
def test_text_cleaned(value, expected):
    assert parse_text(value) == expected


def test_text_nfc():
    assert unicodedata.is_normalized("NFC", parse_text(unicodedata.normalize("NFD", "Thừa Thiên Huế")))


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_text_empty(value):
    assert parse_text(value) is None


# --- parse_code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        ("1", 2, "01"), (1, 2, "01"), (1.0, 2, "01"), ("01", 2, "01"), (" 01 ", 2, "01"), ("1.0", 2, "01"),
        ("'01", 2, "01"), ("79", 2, "79"), (np.int64(79), 2, "79"), ("001", 2, "01"),
        ("4", 5, "00004"), (4, 5, "00004"), ("00004", 5, "00004"), ("27001", 5, "27001"), (27001.0, 5, "27001"),
    ],
)
def test_code_accepted(value, digits, expected):
    assert parse_code(value, digits) == expected


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_code_empty(value):
    assert parse_code(value, 2) is None


@pytest.mark.parametrize("value", ["HN", "1a", "1.5", 1.5, -1, "-1", "123", 123, True, Percent(0.01), "０１"])
def test_code_rejected(value):
    with pytest.raises(ValueProblem, match="Invalid code"):
        parse_code(value, 2)


def test_code_message():
    with pytest.raises(ValueProblem) as caught:
        parse_code("HN", 5)

    assert caught.value.message("vi") == 'Mã "HN" không hợp lệ. Mã đơn vị hành chính gồm 5 chữ số, ví dụ 00001.'


def test_code_invalid_digits():
    with pytest.raises(ValueError, match="digits"):
        parse_code("1", 0)


# --- Messages show the value as the user sees it --------------------------------------


@pytest.mark.parametrize(
    "parser, value, expected",
    [
        (parse_status, 2.0, "Invalid status 2."),
        (parse_status, Percent(0.855), "Invalid status 85.5%."),
        (parse_status, datetime(2025, 7, 15), "Invalid status 15/07/2025."),
        (parse_count, -3.0, "Count -3 is negative."),
    ],
)
def test_message_shows_value(parser, value, expected):
    with pytest.raises(ValueProblem) as caught:
        parser(value)

    assert caught.value.message("en").startswith(expected)


def test_nan_is_empty_not_problem():
    assert parse_count(math.nan) is None


# --- Excel error values and formulas never calculated ---------------------------------

EXCEL_ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]

PARSERS = [
    parse_status,
    parse_yes_no,
    parse_count,
    parse_number,
    parse_rate,
    lambda value: parse_date(value, today=TODAY),
    parse_text,
    lambda value: parse_code(value, 2),
]
PARSER_IDS = ["status", "yes_no", "count", "number", "rate", "date", "text", "code"]


@pytest.mark.parametrize("value", EXCEL_ERRORS + ["#SPILL!", "#CALC!", "#n/a", " #DIV/0! ", "#REF!\u200b"])
def test_excel_error_recognised(value):
    assert is_excel_error(value)


@pytest.mark.parametrize("value", ["#", "#1", "# N/A", "N/A", "DIV/0", "#DIV/0", "Xanh", "", None, 0, Uncalculated("A1")])
def test_excel_error_not_recognised(value):
    assert not is_excel_error(value)


@pytest.mark.parametrize("error", EXCEL_ERRORS)
@pytest.mark.parametrize("parser", PARSERS, ids=PARSER_IDS)
def test_excel_error_rejected_by_every_parser(parser, error):
    with pytest.raises(ValueProblem) as caught:
        parser(error)

    assert caught.value.message("vi").startswith(f"Ô chứa lỗi công thức Excel {error} (")
    assert caught.value.message("en").startswith(f"The cell contains the Excel formula error {error} (")


def test_excel_error_message():
    with pytest.raises(ValueProblem) as caught:
        parse_count(" #div/0! ")

    assert caught.value.message("vi") == (
        "Ô chứa lỗi công thức Excel #DIV/0! (công thức chia cho 0 hoặc cho một ô trống). "
        "Hãy sửa công thức trong tệp, hoặc để trống ô nếu cột này không bắt buộc."
    )
    assert caught.value.message("en") == (
        "The cell contains the Excel formula error #DIV/0! (the formula divides by 0 or by an empty cell). "
        "Correct the formula in the file, or leave the cell empty if this column is optional."
    )


def test_newer_excel_error_message():
    with pytest.raises(ValueProblem) as caught:
        parse_number("#SPILL!")

    assert caught.value.message("en").startswith("The cell contains the Excel formula error #SPILL!. Correct the formula")


def test_excel_error_ignored_by_rate_scale():
    assert rate_scale(["#DIV/0!", 0.5, Uncalculated("A1/B1")]) == "fraction"


@pytest.mark.parametrize("parser", PARSERS, ids=PARSER_IDS)
def test_uncalculated_rejected_by_every_parser(parser):
    with pytest.raises(ValueProblem) as caught:
        parser(Uncalculated("A2*2"))

    assert "=A2*2" in caught.value.message("vi")
    assert "never saved" in caught.value.message("en")


def test_uncalculated_message():
    with pytest.raises(ValueProblem) as caught:
        parse_rate(Uncalculated("C2/D2"))

    assert caught.value.message("vi") == (
        "Ô chứa công thức =C2/D2 nhưng kết quả của công thức chưa từng được lưu trong tệp, nên không đọc được "
        "giá trị. Hãy mở tệp bằng Excel rồi lưu lại, hoặc sao chép các ô và dán giá trị (Dán Đặc biệt > Giá trị) "
        "thay cho công thức."
    )
    assert caught.value.message("en") == (
        "The cell contains the formula =C2/D2, but its result was never saved in the file, so there is no value "
        "to read. Open the file in Excel and save it again, or copy the cells and paste the values "
        "(Paste Special > Values) over the formulas."
    )


def test_uncalculated_without_formula_text():
    with pytest.raises(ValueProblem) as caught:
        parse_count(Uncalculated(""))

    assert caught.value.message("en").startswith("The cell contains the formula, but its result was never saved")
