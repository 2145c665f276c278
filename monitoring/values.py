"""Parse one cell of a user's status file, as people fill them in.

Each parser takes a raw cell value from ``monitoring.reading`` (str, int, float, bool,
datetime, date, `Percent`, `Uncalculated` or None). It returns the parsed value, or None
for an empty cell, or raises `ValueProblem` with a message that names the problem and
the fix. Every parser raises for an Excel error value such as "#DIV/0!" and for an
`Uncalculated` formula cell.
Numbers and dates follow the Vietnamese conventions: decimal comma, "." or space
between thousands, and day before month.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from geo.errors import BilingualError
from geo.names import ascii_key
from monitoring.model import DO, VANG, XANH
from monitoring.reading import Percent, Uncalculated

FRACTION = "fraction"
PERCENT = "percent"
"""Scales of a rate column without "%" signs: 0–1 or 0–100."""


class ValueProblem(BilingualError, ValueError):
    """An invalid cell value. Both messages show the value and the fix.

    ``str(problem)`` is the English message and ``message("vi")`` the Vietnamese one.
    """


# --- Shared helpers ---------------------------------------------------------------

_BLANK = r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+"
_BLANKS = re.compile(_BLANK)
_SURROUNDING_BLANKS = re.compile(rf"^{_BLANK}|{_BLANK}$")
_DASHES = "-‐‑‒–—―−﹣－"


def _clean(text: str) -> str:
    """Return NFC text without surrounding blanks, zero-width characters included."""
    return _SURROUNDING_BLANKS.sub("", unicodedata.normalize("NFC", text))


def _is_empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, str):
        return _clean(value) == ""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return math.isnan(value)
    return False


def _is_bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_number(value: object) -> bool:
    """Tell whether a value is a bare int or float, not a bool and not a `Percent`."""
    return isinstance(value, numbers.Real) and not _is_bool(value)


def _format_value(value: object) -> str:
    """Format a value for messages the way the user sees it in the cell."""
    if isinstance(value, str):
        return f'"{_clean(value)}"'
    if isinstance(value, Percent):
        return f"{value.value * 100:g}%"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != time(0) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if _is_number(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


# Error values that Excel shows in place of a formula's result, with their usual cause.
_EXCEL_ERROR_CAUSES = {
    "#DIV/0!": ("công thức chia cho 0 hoặc cho một ô trống", "the formula divides by 0 or by an empty cell"),
    "#N/A": ("công thức không tìm thấy giá trị cần tra cứu", "the formula did not find the value it looks up"),
    "#VALUE!": (
        "công thức tính với giá trị sai kiểu, ví dụ cộng chữ với số",
        "the formula computes with a value of the wrong type, such as text plus a number",
    ),
    "#REF!": ("công thức tham chiếu đến ô đã bị xóa", "the formula refers to a cell that was deleted"),
    "#NAME?": ("công thức dùng tên hàm hoặc tên vùng không tồn tại", "the formula uses a function or name that does not exist"),
    "#NUM!": ("công thức cho kết quả không phải số hợp lệ", "the formula gives an invalid number"),
    "#NULL!": ("công thức lấy phần giao của hai vùng không giao nhau", "the formula intersects two ranges that do not overlap"),
}

# Error values added in Excel 365 for dynamic arrays and linked data types.
_NEWER_EXCEL_ERRORS = {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA"}

_EXCEL_ERRORS = frozenset(_EXCEL_ERROR_CAUSES) | _NEWER_EXCEL_ERRORS


def is_excel_error(value: object) -> bool:
    """Tell whether a cell value is an Excel error value such as "#DIV/0!" or "#N/A", in any case."""
    return isinstance(value, str) and "#" in value and _clean(value).upper() in _EXCEL_ERRORS


def _reject_formula_failure(value: object) -> None:
    """Raise ValueProblem for an Excel error value or an `Uncalculated` formula cell."""
    if isinstance(value, Uncalculated):
        raise _uncalculated_problem(value)
    if is_excel_error(value):
        raise _excel_error_problem(_clean(value).upper())


def _uncalculated_problem(value: Uncalculated) -> ValueProblem:
    formula = f" {value}" if value.formula else ""
    return ValueProblem(
        f"Ô chứa công thức{formula} nhưng kết quả của công thức chưa từng được lưu trong tệp, "
        f"nên không đọc được giá trị. Hãy mở tệp bằng Excel rồi lưu lại, hoặc sao chép các ô "
        f"và dán giá trị (Dán Đặc biệt > Giá trị) thay cho công thức.",
        f"The cell contains the formula{formula}, but its result was never saved in the file, so "
        f"there is no value to read. Open the file in Excel and save it again, or copy the cells "
        f"and paste the values (Paste Special > Values) over the formulas.",
    )


def _excel_error_problem(error: str) -> ValueProblem:
    cause_vi, cause_en = _EXCEL_ERROR_CAUSES.get(error, ("", ""))
    cause_vi = f" ({cause_vi})" if cause_vi else ""
    cause_en = f" ({cause_en})" if cause_en else ""
    return ValueProblem(
        f"Ô chứa lỗi công thức Excel {error}{cause_vi}. Hãy sửa công thức trong tệp, "
        f"hoặc để trống ô nếu cột này không bắt buộc.",
        f"The cell contains the Excel formula error {error}{cause_en}. Correct the formula in "
        f"the file, or leave the cell empty if this column is optional.",
    )


def _word_key(value: str) -> str:
    """Fold a word for lookup: no case, no diacritics, đ as d, no surrounding punctuation."""
    return ascii_key(value).strip(" .,;:!?")


# Spaces, no-break spaces and thin spaces between groups of three digits ("1 234").
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}\b)")
_NUMBER_CHARS = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")


def _to_decimal(text: str, *, thousands: bool) -> Decimal | None:
    """Convert number text with "," or "." separators to a Decimal, or return None.

    When both "," and "." occur, the last one is the decimal separator ("1.234,5").
    A repeated separator groups thousands ("1.234.567"). A single separator groups
    thousands only when ``thousands`` is true and it is followed by exactly three
    digits after at most three ("1.234", "1,234"). Otherwise it is the decimal separator.
    """
    text = _GROUP_SPACES.sub("", _clean(text)).replace("−", "-")
    if not _NUMBER_CHARS.fullmatch(text):
        return None

    digits = text.lstrip("+-")
    roles = _separator_roles(digits, thousands)
    if roles is None:
        return None

    decimal_mark, group_mark = roles
    if group_mark:
        digits = digits.replace(group_mark, "")
    if decimal_mark:
        digits = digits.replace(decimal_mark, ".")
    return Decimal(("-" if text.startswith("-") else "") + digits)


def _separator_roles(digits: str, thousands: bool) -> tuple[str | None, str | None] | None:
    """Return the decimal and the thousands separator of a number, or None when invalid."""
    marks = [char for char in digits if char in ",."]
    if not marks:
        return (None, None)

    if len(set(marks)) == 2:
        decimal_mark = marks[-1]
        group_mark = "," if decimal_mark == "." else "."
        integer_part = digits[: digits.rindex(decimal_mark)]
        return (decimal_mark, group_mark) if _is_grouped(integer_part, group_mark) else None

    mark = marks[0]
    if len(marks) > 1:
        return (None, mark) if _is_grouped(digits, mark) else None
    if thousands and _is_grouped(digits, mark):
        return (None, mark)
    return (mark, None)


def _is_grouped(digits: str, mark: str) -> bool:
    """Tell whether digits are in groups of three separated by ``mark`` ("1.234.567")."""
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", digits) is not None


# --- Status and yes/no --------------------------------------------------------------

_STATUS_WORDS = {
    XANH: {"xanh", "xanh la", "xanh la cay", "green", "g"},
    # Reports that follow the RAG (red, amber, green) convention call the middle status amber.
    VANG: {"vang", "yellow", "y", "v", "amber", "orange", "cam", "da cam"},
    DO: {"do", "red", "r", "d"},
}
_STATUS_EMOJI = {"🟢": XANH, "🟩": XANH, "🟡": VANG, "🟨": VANG, "🔴": DO, "🟥": DO}
_STATUS_BY_WORD = {word: status for status, words in _STATUS_WORDS.items() for word in words}


def parse_status(value: object) -> str | None:
    """Parse a status into "xanh", "vang" or "do".

    Accepts any case, with or without diacritics, in any Unicode form: "Xanh", "Xanh lá",
    "VÀNG", "Đỏ", "do", the English words, the initials "G", "Y", "V", "R", "Đ" and "D",
    a leading "màu" ("màu đỏ"), and the emoji 🟢 🟡 🔴. "Amber", "orange", "cam" and
    "da cam" are Vàng.
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)

    if isinstance(value, str):
        text = _clean(value).replace("\ufe0f", "")
        if text in _STATUS_EMOJI:
            return _STATUS_EMOJI[text]

        key = _word_key(text)
        key = key.removeprefix("mau ")
        if key in _STATUS_BY_WORD:
            return _STATUS_BY_WORD[key]

    raise ValueProblem(
        f"Trạng thái {_format_value(value)} không hợp lệ. Hãy ghi Xanh, Vàng hoặc Đỏ.",
        f"Invalid status {_format_value(value)}. Write Xanh, Vàng or Đỏ (or Green, Yellow, Red).",
    )


_YES_WORDS = {
    "co", "x", "1", "1.0", "yes", "y", "true", "dat", "roi", "ok",
    "da co", "co roi", "da dat", "✓", "✔", "☑", "✅",
}
_NO_WORDS = {
    "khong", "k", "ko", "kh", "0", "0.0", "no", "n", "false",
    "chua", "chua dat", "chua co", "khong co", "khong dat", "✗", "✘", "❌",
}


def parse_yes_no(value: object) -> bool | None:
    """Parse a yes/no cell: "Có", "x", "✓", "1", "Đạt", "rồi" or "yes" is True.

    "Không", "k", "0", "Chưa", "Chưa đạt", "-" or "no" is False. An empty cell is None,
    which means not reported, not "no".
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)
    if _is_bool(value):
        return bool(value)

    if _is_number(value) and value in (0, 1):
        return bool(value == 1)
    if isinstance(value, str):
        text = _clean(value).replace("\ufe0f", "")
        if all(char in _DASHES for char in text):
            return False

        key = _word_key(text)
        if key in _YES_WORDS:
            return True
        if key in _NO_WORDS:
            return False

    raise ValueProblem(
        f'Giá trị {_format_value(value)} không hợp lệ. Hãy ghi "Có" (hoặc x) hoặc "Không", '
        f"hoặc để trống nếu chưa có thông tin.",
        f'Invalid value {_format_value(value)}. Write "Có" (or x) or "Không", or leave the cell '
        f"empty when it is not known.",
    )


# --- Numbers ------------------------------------------------------------------------


def parse_count(value: object) -> int | None:
    """Parse a non-negative whole count, such as a number of dossiers.

    Thousands may be separated by ".", "," or a space ("1.234", "1,234", "1 234"), a
    no-break space or a narrow no-break space included, so a single separator followed
    by exactly three digits is read as thousands.
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)
    if isinstance(value, Percent):
        raise _percent_cell_problem(value)

    number = _count_number(value)
    if number is None or not number.is_finite():
        raise ValueProblem(
            f"Số lượng {_format_value(value)} không phải là số. Hãy ghi một số nguyên không âm, ví dụ 1234.",
            f"Count {_format_value(value)} is not a number. Write a whole number of 0 or more, e.g. 1234.",
        )
    if number != number.to_integral_value():
        raise ValueProblem(
            f"Số lượng {_format_value(value)} không phải số nguyên. Hãy ghi một số nguyên, ví dụ 12.",
            f"Count {_format_value(value)} is not a whole number. Write a whole number, e.g. 12.",
        )
    if number < 0:
        raise ValueProblem(
            f"Số lượng {_format_value(value)} là số âm. Hãy ghi số lượng từ 0 trở lên.",
            f"Count {_format_value(value)} is negative. Write a count of 0 or more.",
        )
    return int(number)


def _count_number(value: object) -> Decimal | None:
    if isinstance(value, str):
        return _to_decimal(value, thousands=True)
    if _is_number(value):
        return Decimal(int(value)) if isinstance(value, numbers.Integral) else Decimal(float(value))
    return None


def parse_number(value: object) -> float | None:
    """Parse a decimal number such as a score, with a decimal comma or point ("18,75").

    A single "," or "." is always the decimal separator, so "1.234" is 1.234.
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)
    if isinstance(value, Percent):
        raise _percent_cell_problem(value)

    number = None
    if isinstance(value, str):
        decimal = _to_decimal(value, thousands=False)
        number = float(decimal) if decimal is not None else None
    elif _is_number(value):
        number = float(value)

    if number is None or not math.isfinite(number):
        raise ValueProblem(
            f"Giá trị {_format_value(value)} không phải là số. Hãy ghi một số, ví dụ 18,75.",
            f"Value {_format_value(value)} is not a number. Write a number, e.g. 18.75.",
        )
    return number


def _percent_cell_problem(value: Percent) -> ValueProblem:
    return ValueProblem(
        f"Ô {_format_value(value)} được định dạng phần trăm nhưng cột này cần một số. "
        f"Hãy đổi định dạng ô sang Số (Number) rồi ghi lại giá trị.",
        f"Cell {_format_value(value)} is formatted as a percentage, but this column needs a number. "
        f"Change the cell format to Number and enter the value again.",
    )


def rate_scale(values: Iterable[object]) -> str:
    """Decide whether the bare numbers of a rate column are fractions or percentages.

    Returns "percent" (0–100) when any bare number in the column is above 1, else
    "fraction" (0–1). Cells with a "%" sign, `Percent` cells and cells that are not
    numbers do not count.
    NOTE: a percent column whose every value is 0 or 1 (meaning 1%) is taken as
    fractions, because the values alone cannot distinguish the two.
    """
    for value in values:
        if _is_empty(value) or isinstance(value, Percent) or _is_bool(value):
            continue

        number = _bare_number(value)
        if number is not None and number > 1:
            return PERCENT
    return FRACTION


def _bare_number(value: object) -> float | None:
    if isinstance(value, str):
        if "%" in value:
            return None
        decimal = _to_decimal(value, thousands=False)
        return float(decimal) if decimal is not None else None
    if _is_number(value):
        return float(value)
    return None


def parse_rate(value: object, scale: str | None = None) -> float | None:
    """Parse a rate into a fraction from 0 to 1.

    Accepts "85,5%", "85.5%", a `Percent` cell, and bare numbers. ``scale`` ("fraction"
    or "percent", see `rate_scale`) sets how a bare number is read. Without it a bare
    number up to 1 is a fraction and a larger one is a percentage.
    """
    if scale not in (None, FRACTION, PERCENT):
        raise ValueError(f"scale must be None, {FRACTION!r} or {PERCENT!r}, got {scale!r}")
    if _is_empty(value):
        return None
    _reject_formula_failure(value)

    fraction = _rate_fraction(value, scale)
    if fraction is None:
        raise ValueProblem(
            f"Tỷ lệ {_format_value(value)} không phải là số. Hãy ghi tỷ lệ phần trăm, ví dụ 85,5%.",
            f"Rate {_format_value(value)} is not a number. Write a percentage, e.g. 85.5%.",
        )
    if not 0 <= fraction <= 1:
        raise ValueProblem(
            f"Tỷ lệ {_format_value(value)} nằm ngoài khoảng 0–100%. Hãy ghi tỷ lệ từ 0% đến 100%.",
            f"Rate {_format_value(value)} is outside 0–100%. Write a rate from 0% to 100%.",
        )
    return fraction


# Excel arithmetic can leave a rate a hair outside 0–1 (1.0000000000000002).
_RATE_TOLERANCE = 1e-9


def _rate_fraction(value: object, scale: str | None) -> float | None:
    if isinstance(value, Percent):
        fraction = float(value.value)
    elif isinstance(value, str) and _clean(value).endswith("%"):
        decimal = _to_decimal(_clean(value).removesuffix("%"), thousands=False)
        fraction = float(decimal) / 100 if decimal is not None else None
    else:
        number = _bare_number(value) if not _is_bool(value) else None
        if number is None:
            return None
        is_percent = scale == PERCENT or (scale is None and number > 1)
        fraction = number / 100 if is_percent else number

    if fraction is None or not math.isfinite(fraction):
        return None
    if -_RATE_TOLERANCE < fraction < 0 or 1 < fraction < 1 + _RATE_TOLERANCE:
        fraction = min(max(fraction, 0.0), 1.0)
    return fraction


# --- Dates --------------------------------------------------------------------------

# Excel's 1900 date system counts 1 January 1900 as day 1 and wrongly includes
# 29 February 1900, so from March 1900 on, day 0 is 30 December 1899.
_EXCEL_EPOCH = date(1899, 12, 30)

# A serial number below this (1 January 2000) is more likely a year, a count or a
# day of the month than a date in a status file, so it is rejected.
_MIN_EXCEL_SERIAL = 36526
_MAX_EXCEL_SERIAL = 2958465  # 31 December 9999

_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:am|pm|sa|ch)?)?"
_DAY_FIRST = re.compile(rf"^(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]\s*(\d{{4}}|\d{{2}}){_TIME}$", re.IGNORECASE)
_YEAR_FIRST = re.compile(rf"^(\d{{4}})[/.-](\d{{1,2}})[/.-](\d{{1,2}}){_TIME}$", re.IGNORECASE)
_VIETNAMESE_LONG = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|,)?\s*(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def parse_date(value: object, *, today: date | None = None) -> pd.Timestamp | None:
    """Parse a date into a Timestamp at midnight, day before month.

    Accepts "15/07/2025", "15-07-2025", "15.07.2025", "15/7/25", "2025-07-15",
    "2025/07/15", "ngày 15 tháng 7 năm 2025", "20250715", any of them followed by a
    time, Excel dates, and Excel serial numbers from 1 January 2000 on (45853 is
    15 July 2025). A time of day is dropped. A date after ``today`` (by default the
    system date) raises, because a status cannot be reported ahead of time.
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)

    day = _to_date(value)
    if day is None:
        raise ValueProblem(
            f"Ngày {_format_value(value)} không hợp lệ. Hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/07/2025.",
            f"Invalid date {_format_value(value)}. Write the date as day/month/year, e.g. 15/07/2025.",
        )

    today = _to_date(today) if today is not None else date.today()
    if day > today:
        raise ValueProblem(
            f"Ngày {day:%d/%m/%Y} nằm trong tương lai (sau hôm nay, {today:%d/%m/%Y}). "
            f"Hãy kiểm tra lại ngày, tháng và năm.",
            f"Date {day:%d/%m/%Y} is in the future (after today, {today:%d/%m/%Y}). "
            f"Check the day, month and year.",
        )
    return pd.Timestamp(day)


def _to_date(value: object) -> date | None:
    """Convert a cell to a date, or return None when it is not a valid date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        return _text_date(_clean(value))
    if _is_number(value):
        return _serial_date(float(value))
    return None


def _text_date(text: str) -> date | None:
    for pattern, order in ((_DAY_FIRST, "dmy"), (_YEAR_FIRST, "ymd"), (_COMPACT, "ymd")):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(group) for group in match.groups())))
            return _valid_date(parts["y"], parts["m"], parts["d"])

    match = _VIETNAMESE_LONG.match(ascii_key(text))
    if match:
        day, month, year = (int(group) for group in match.groups())
        return _valid_date(year, month, day)

    if _SERIAL.match(text):
        return _serial_date(float(text.replace(",", ".")))
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _serial_date(serial: float) -> date | None:
    if math.isfinite(serial) and serial.is_integer() and 19000101 <= serial <= 99991231:
        return _text_date(str(int(serial)))
    if not (math.isfinite(serial) and _MIN_EXCEL_SERIAL <= serial <= _MAX_EXCEL_SERIAL):
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


# --- Text and codes -------------------------------------------------------------------


def parse_text(value: object) -> str | None:
    """Parse free text: NFC, no surrounding blanks, each run of whitespace as one space.

    Numbers become text as Excel shows them (12.0 becomes "12"), dates as dd/mm/yyyy.
    """
    if _is_empty(value):
        return None
    _reject_formula_failure(value)

    text = _format_value(value) if not isinstance(value, str) else value
    text = _BLANKS.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return text or None


def parse_code(value: object, digits: int) -> str | None:
    """Parse an official administrative unit code, zero-padded to ``digits`` digits.

    Provinces have 2 digits and communes 5, so with ``digits=2`` "1", 1, 1.0 and "01" all
    give "01". A leading apostrophe (Excel's mark for text) and a trailing ".0" are
    dropped.
    """
    if digits < 1:
        raise ValueError(f"digits must be 1 or more, got {digits}")
    if _is_empty(value):
        return None
    _reject_formula_failure(value)

    text = _code_digits(value)
    if text is not None and len(text.lstrip("0")) <= digits:
        return text.lstrip("0").rjust(digits, "0")

    example = "1".rjust(digits, "0")
    raise ValueProblem(
        f"Mã {_format_value(value)} không hợp lệ. Mã đơn vị hành chính gồm {digits} chữ số, ví dụ {example}.",
        f"Invalid code {_format_value(value)}. An administrative unit code has {digits} digits, e.g. {example}.",
    )


def _code_digits(value: object) -> str | None:
    """Return the digits of a code cell, or None when it is not a whole number."""
    if _is_bool(value) or isinstance(value, Percent):
        return None
    if isinstance(value, numbers.Integral):
        return str(value) if value >= 0 else None
    if _is_number(value):
        number = float(value)
        return str(int(number)) if number.is_integer() and number >= 0 else None
    if not isinstance(value, str):
        return None

    text = _clean(value).removeprefix("'")
    text = re.sub(r"[.,]0+$", "", text)
    return text if text.isascii() and text.isdigit() else None
