"""The Excel export of the 766 service index, read exactly as the portal writes it.

Its sheets have one header row (ID, TEN, TEN_COQUAN, MA_COQUAN, LOAI_COQUAN, …, TDGQ,
MDHL, MDSH, TTTT, CLGQ, CKMB, TONG_SCORE, ROW_STT). TEN names the unit ("UBND tỉnh
Bắc Ninh", "UBND xã Đông Thái - tỉnh An Giang"); the portal's own ids are not GSO
codes, so units are matched by name. LOAI_COQUAN is 1 for a province, 2 for a
provincial department and 3 for a commune. Departments are not on the map, so
their sheets are skipped.

The export carries no period column. The period comes from the sheet ("Điểm năm" is
the year, the other score sheets the month), with the month and year taken from the
file name ("bao_cao_T10_2025.xlsx") or, failing that, from the last row of the
"Xu hướng tháng" sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitoring.columns import header_key
from monitoring.problems import WARNING, Problem, ValidationReport
from monitoring.reading import RawSheet

_MARKERS = {"ten", "tong score", "id coquan"}
_SCORE_COLUMNS = {"tdgq": "tdgq", "mdhl": "mdhl", "mdsh": "mdsh", "tttt": "tttt", "clgq": "clgq", "ckmb": "ckmb"}
_DEPARTMENT = 2
_FILE_MONTH = re.compile(r"(?:^|[^a-z0-9])t(\d{1,2})[ _.-]+(\d{4})(?:[^0-9]|$)")


@dataclass(frozen=True)
class PortalLayout:
    """Header row, column mapping and constant fields of one export sheet."""

    header_index: int
    mapping: dict[int, str]
    constants: dict[str, object] = field(default_factory=dict)


def _header_index(rows: list[list[object]]) -> int | None:
    for index, row in enumerate(rows[:5]):
        keys = {header_key(cell) for cell in row}
        if _MARKERS <= keys:
            return index
    return None


def _mapping(header: list[object]) -> dict[int, str]:
    mapping = {}
    for position, cell in enumerate(header):
        key = header_key(cell)
        if key == "ten":
            mapping[position] = "unit_name"
        elif key in _SCORE_COLUMNS:
            mapping[position] = _SCORE_COLUMNS[key]
        elif key == "tong score":
            mapping[position] = "total"
    return mapping


def _file_month_year(file_name: str) -> tuple[int, int] | None:
    match = _FILE_MONTH.search(file_name.lower())
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(1)), int(match.group(2))
    return None


def _trend_month_year(sheets: list[RawSheet]) -> tuple[int, int] | None:
    """Return the last month and year of the "Xu hướng tháng" sheet."""
    for sheet in sheets:
        if header_key(sheet.name) != "xu huong thang":
            continue
        rows = [row for row in sheet.rows[1:] if len(row) >= 2 and row[0] is not None and row[1] is not None]
        try:
            return (int(float(rows[-1][0])), int(float(rows[-1][1]))) if rows else None
        except (TypeError, ValueError):
            return None
    return None


def _is_department_sheet(rows: list[list[object]], header_index: int) -> bool:
    header = [header_key(cell) for cell in rows[header_index]]
    if "loai coquan" not in header:
        return False
    position = header.index("loai coquan")
    types = {row[position] for row in rows[header_index + 1 :] if len(row) > position and row[position] is not None}
    return bool(types) and all(str(value).strip() in (str(_DEPARTMENT), f"{_DEPARTMENT}.0") for value in types)


def layout(sheet: RawSheet, sheets: list[RawSheet], file_name: str) -> PortalLayout | None:
    """Return the layout of ``sheet`` when it is a sheet of the 766 export, else None."""
    header_index = _header_index(sheet.rows)
    if header_index is None:
        return None
    if _is_department_sheet(sheet.rows, header_index):
        return PortalLayout(header_index, {}, {"_skip": True})

    constants: dict[str, object] = {}
    from_file, from_trend = _file_month_year(file_name), _trend_month_year(sheets)
    if from_file and from_trend and from_file != from_trend:
        constants["_period_conflict"] = (from_file, from_trend)
    month_year = from_file or from_trend
    if month_year is not None:
        month, year = month_year
        is_year_sheet = header_key(sheet.name) == "diem nam"
        constants["period"] = f"{year:04d}" if is_year_sheet else f"{year:04d}-{month:02d}"
    return PortalLayout(header_index, _mapping(sheet.rows[header_index]), constants)


def report_skipped(report: ValidationReport, sheet_layout) -> None:
    """Add a warning that a sheet of provincial departments was not imported."""
    rows = sum(1 for row in sheet_layout.sheet.rows[sheet_layout.header_index + 1 :] if row)
    report.add(
        Problem(
            WARNING,
            sheet_layout.sheet.name,
            None,
            None,
            None,
            f"Bỏ qua {rows} dòng của các sở, ban, ngành: bản đồ chỉ thể hiện tỉnh, thành phố và xã, phường.",
            f"Skipped {rows} rows of provincial departments: the map shows only provinces and communes.",
        )
    )


def period_problems(constants: dict[str, object], file_name: str) -> list[tuple[str, str]]:
    """Return messages for an export whose period is missing, or whose file name and
    trend sheet give two different months."""
    if "period" not in constants:
        return [
            (
                "Không xác định được kỳ đánh giá của tệp xuất từ Cổng Dịch vụ công (chỉ số 766). "
                "Hãy đặt tên tệp có tháng và năm, ví dụ bao_cao_T10_2025.xlsx.",
                "The period of this 766 portal export could not be determined. "
                "Put the month and year in the file name, e.g. bao_cao_T10_2025.xlsx.",
            )
        ]
    if "_period_conflict" in constants:
        (file_month, file_year), (trend_month, trend_year) = constants["_period_conflict"]
        return [
            (
                f"Tên tệp “{file_name}” ghi tháng {file_month}/{file_year}, nhưng trang “Xu hướng tháng” kết thúc ở "
                f"tháng {trend_month}/{trend_year}. Hãy đổi tên tệp cho đúng tháng của báo cáo.",
                f"The file name “{file_name}” says {file_month}/{file_year}, but the “Xu hướng tháng” sheet ends at "
                f"{trend_month}/{trend_year}. Rename the file to the report's month.",
            )
        ]
    return []
