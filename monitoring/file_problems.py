"""Problems about a whole file, sheet or table, and the labels they use."""

from __future__ import annotations

import pandas as pd

from geo.units import communes, provinces
from monitoring.formatting import number
from monitoring.model import PROVINCE_STATUS, SCORES
from monitoring.problems import ERROR, WARNING, Problem
from monitoring.reading import RawSheet
from monitoring.sheets import SheetLayout, missing_columns

MAX_LISTED_UNITS = 10
"""Units named in one warning about units with no data, before "and N more"."""


def format_date(value: pd.Timestamp) -> str:
    return value.strftime("%d/%m/%Y")


def unit_label(record: dict, lang: str = "vi") -> str:
    """Name the unit or task of a record, such as "Khánh Hòa (mã 56)" or, in English, "Khánh Hòa (code 56)"."""
    english = lang == "en"
    for column in ("province_code", "commune_code", "unit_code"):
        code = record.get(column)
        if code:
            table = provinces() if len(code) == 2 else communes()
            return f"{table.at[code, 'name']} ({'code' if english else 'mã'} {code})"
    return f"{'Task' if english else 'Nhiệm vụ'} {record.get('task_id')}"


def key_when(kind: str, record: dict) -> tuple[str, str]:
    for column in ("report_date", "date"):
        if column in record:
            text = format_date(record[column])
            return f" trong ngày {text}", f" for {text}"
    if kind == SCORES:
        return f" trong kỳ {record['period']}", f" for period {record['period']}"
    return "", ""


def missing_units_warning(kind: str, official: pd.DataFrame, missing: pd.Index, report_date) -> Problem:
    names = ", ".join(official.loc[missing[:MAX_LISTED_UNITS], "name"])
    more = len(missing) - MAX_LISTED_UNITS
    unit_vi = "tỉnh, thành phố" if kind == PROVINCE_STATUS else "xã, phường"
    unit_en = "province" if kind == PROVINCE_STATUS else "commune"
    subject_en = f"1 {unit_en} has" if len(missing) == 1 else f"{number(len(missing), 'en')} {unit_en}s have"
    when = format_date(pd.Timestamp(report_date))
    return Problem(
        WARNING,
        None,
        None,
        None,
        None,
        f"{number(len(missing), 'vi')} {unit_vi} không có dữ liệu ngày {when}: {names}"
        + (f" và {number(more, 'vi')} đơn vị khác." if more > 0 else "."),
        f"{subject_en} no data for {when}: {names}" + (f" and {number(more, 'en')} more." if more > 0 else "."),
    )


def hidden_sheet_problem(sheet: RawSheet) -> Problem:
    return Problem(
        WARNING,
        sheet.name,
        None,
        None,
        None,
        f"Trang ẩn “{sheet.name}” không được đọc. Nếu cần nhập số liệu của trang này, hãy bỏ ẩn trang.",
        f"The hidden sheet “{sheet.name}” is not read. Unhide it to import its data.",
    )


def skipped_sheet_problem(layout: SheetLayout) -> Problem:
    missing_vi = " ".join(message[0] for message in missing_columns(layout))
    missing_en = " ".join(message[1] for message in missing_columns(layout))
    return Problem(
        WARNING,
        layout.sheet.name,
        layout.header_row,
        None,
        None,
        f"Bỏ qua trang “{layout.sheet.name}”: không phải bảng đầy đủ. {missing_vi}",
        f"Skipped the sheet “{layout.sheet.name}”: it is not a complete table. {missing_en}",
    )


def no_rows_problem(file_name: str) -> Problem:
    return Problem(
        ERROR,
        None,
        None,
        None,
        None,
        f"“{file_name}” có dòng tiêu đề nhưng không có dòng dữ liệu nào. Hãy điền số liệu dưới dòng tiêu đề.",
        f"“{file_name}” has a header row but no data rows. Fill in the data below the header.",
    )


def no_table_problem(file_name: str, sheets: list[RawSheet]) -> Problem:
    return Problem(
        ERROR,
        sheets[0].name if len(sheets) == 1 else None,
        None,
        None,
        None,
        f"Không nhận ra bảng dữ liệu nào trong “{file_name}”: không tìm thấy dòng tiêu đề cột quen thuộc. "
        "Hãy dùng tệp mẫu và giữ nguyên tên các cột.",
        f"No known table found in “{file_name}”: no row looks like a known header. "
        "Use the template and keep its column names.",
    )
