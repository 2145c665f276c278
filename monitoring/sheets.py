"""Find the table in each sheet of a file: its kind, header row and columns, and the
sheet-level problems (hidden sheets, columns that are not read, missing columns).

Also recognises the rows that frame a table in Vietnamese reports and are not data:
a total row ("Tổng cộng") and the signature block under the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geo.matching import match_province
from geo.names import ascii_key
from monitoring import portal766
from monitoring.columns import FIELDS, HEADER_SCAN_ROWS, REQUIRED, detect, header_key, unmapped_headers
from monitoring.model import COMMUNE_STATUS, CONDITION_KEYS, FILING, KIND_LABELS, PROVINCE_STATUS, SCORES
from monitoring.reading import RawSheet
from monitoring.resolve import name_level

GUIDE_SHEETS = frozenset({"huong dan", "guide", "instructions", "huong dan nhap lieu"})
"""Names of the explanation sheets that the templates include; they are never read."""

TOTAL_ROW_NAMES = frozenset({"tong", "tong cong", "cong", "toan quoc", "ca nuoc", "total", "grand total", "tong so"})
"""Labels of the summary rows that spreadsheets add under the data; those rows are skipped."""

_SIGNATURE_WORDS = re.compile(
    r"^(nguoi lap|nguoi ky|thu truong|ky,? ghi ro|\(ky|noi nhan|giam doc|pho giam doc|chu tich|"
    r"kt\.? |tm\.? |xac nhan|can bo lap|lanh dao|ghi chu:|chu thich:|nguon:|nguon so lieu)"
)
_DATE_LINE = re.compile(
    r"ngay[\s.…_]*(\d{1,2})?[\s.…_]*thang([\s.…_]*(\d{1,2})?[\s.…_]*nam)?"
    r"|^[^,]{2,40}, ngay \d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
)
_BLANK_OR_PLACE = re.compile(r"\.{2,}|…|_{2,}|,\s*ngay")
"""Blanks to fill in ("ngày … tháng …") or a place before the date ("Hà Nội, ngày"):
a date line of a signature block, never a date value."""
_DATE_FIELDS = frozenset({"report_date", "date", "deadline", "completed"})
_FOOTER_MAX_CELLS = 3

UNIT_FIELDS = frozenset({"province_code", "province_name", "commune_code", "commune_name", "unit_code", "unit_name"})


@dataclass
class SheetLayout:
    """The table found in a sheet: its kind, header row and the field of each column.

    ``constants`` are fields that the sheet gives once rather than per row (the period
    of a 766 export). ``code_level`` is "commune" when a generic code column contains
    five-digit codes, so a code that lost its leading zeros ("4") is still a commune.
    ``name_level`` is the level of a generic name column whose names are all of one
    level, which settles a bare name that is both a province and a commune.
    """

    sheet: RawSheet
    kind: str
    header_index: int
    mapping: dict[int, str]
    constants: dict[str, object] = field(default_factory=dict)
    portal: bool = False
    headers: list[object] = field(default_factory=list)
    code_level: str = "province"
    name_level: str | None = None
    rate_scale: str | None = None

    def header_of(self, key: str) -> str:
        headers = self.headers or self.sheet.rows[self.header_index]
        for position, mapped in self.mapping.items():
            if mapped == key:
                return str(headers[position])
        return field_header(self.kind, key)

    @property
    def fields(self) -> set[str]:
        return set(self.mapping.values()) | {key for key in self.constants if not key.startswith("_")}

    @property
    def header_row(self) -> int:
        return self.header_index + 1


def field_header(kind: str, key: str, lang: str = "vi") -> str:
    """Return the template header of a field of ``kind``."""
    for item in FIELDS[kind]:
        if item.key == key:
            return item.header(lang)
    return key


def find_layout(sheet: RawSheet, sheets: list[RawSheet], file_name: str) -> SheetLayout | None:
    """Return the layout of the table in ``sheet``, or None when it contains no known table."""
    portal = portal766.layout(sheet, sheets, file_name)
    if portal is not None:
        return SheetLayout(sheet, SCORES, portal.header_index, portal.mapping, portal.constants, portal=True)

    found = detect(_without_hidden_columns(sheet))
    if found is None:
        return None
    kind, header_index, mapping, headers = found
    layout = SheetLayout(sheet, kind, header_index, mapping, headers=headers)
    layout.code_level = _code_level(layout)
    layout.name_level = _name_level(layout)
    layout.constants.update(_sheet_province(layout))
    return layout


def _without_hidden_columns(sheet: RawSheet) -> list[list[object]]:
    """Return the rows searched for a header, with the cells of hidden columns blanked,
    so a hidden column is never read in place of the visible one."""
    rows = sheet.rows[: HEADER_SCAN_ROWS + 1]
    if not sheet.hidden_columns:
        return rows
    return [[None if position in sheet.hidden_columns else cell for position, cell in enumerate(row)] for row in rows]


def hidden_columns_message(layout: SheetLayout) -> tuple[str, str] | None:
    """Name the hidden columns of a sheet's table, which are not read."""
    headers = layout.sheet.rows[layout.header_index] if layout.header_index < len(layout.sheet.rows) else []
    names = [
        str(headers[position])
        for position in sorted(layout.sheet.hidden_columns)
        if position < len(headers) and headers[position] is not None and str(headers[position]).strip()
    ]
    if not names:
        return None
    listed = ", ".join(f"“{name}”" for name in names)
    return (
        f"Các cột ẩn không được đọc: {listed}. Nếu cần nhập các cột này, hãy bỏ ẩn cột.",
        f"Hidden columns are not read: {listed}. Unhide them to import their data.",
    )


def _sheet_province(layout: SheetLayout) -> dict[str, object]:
    """Scope the communes of a workbook with one sheet per province ("Hà Nội",
    "Đắk Lắk") by the sheet's name, when the sheet has no province column."""
    if layout.kind == PROVINCE_STATUS or layout.sheet.name == layout.sheet.file_name:
        return {}
    if {"province_code", "province_name"} & set(layout.mapping.values()):
        return {}
    if match_province(layout.sheet.name).status not in ("matched", "former"):
        return {}
    return {"province_name": layout.sheet.name}


def _code_level(layout: SheetLayout) -> str:
    positions = [position for position, key in layout.mapping.items() if key == "unit_code"]
    if not positions:
        return "province"
    for row in layout.sheet.rows[layout.header_index + 1 :]:
        if len(row) > positions[0] and len(_digits(row[positions[0]])) > 2:
            return "commune"
    return "province"


def _name_level(layout: SheetLayout) -> str | None:
    positions = [position for position, key in layout.mapping.items() if key == "unit_name"]
    if not positions:
        return None
    levels = set()
    for row in layout.sheet.rows[layout.header_index + 1 :]:
        if len(row) > positions[0] and isinstance(row[positions[0]], str) and row[positions[0]].strip():
            levels.add(name_level(row[positions[0]].strip()))
    levels -= {"both", "unknown"}
    return levels.pop() if len(levels) == 1 else None


def _digits(value: object) -> str:
    text = str(value if value is not None else "").strip().lstrip("'")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text if text.isdecimal() else ""


def is_guide_sheet(sheet: RawSheet) -> bool:
    return header_key(sheet.name) in GUIDE_SHEETS


def is_total_row(cells: list[object]) -> bool:
    """Tell whether a row is a total row, whatever column contains its label."""
    return any(isinstance(cell, str) and _is_total_label(cell) for cell in cells)


@lru_cache(maxsize=65_536)
def _is_total_label(text: str) -> bool:
    return header_key(text) in TOTAL_ROW_NAMES


def is_footer_row(cells: list[object], mapping: dict[int, str] | None = None) -> bool:
    """Tell whether a row starts the signature block under a table ("Người lập biểu",
    "Hà Nội, ngày … tháng … năm 2025", "Nguồn: …"): a row of at most three cells, one
    of them a signature phrase. In the table's date columns a date in words is data,
    unless it has blanks or a place before it."""
    filled = [(position, cell) for position, cell in enumerate(cells) if cell is not None and str(cell).strip()]
    if not filled or len(filled) > _FOOTER_MAX_CELLS:
        return False
    date_columns = {position for position, key in (mapping or {}).items() if key in _DATE_FIELDS}
    for position, cell in filled:
        if not isinstance(cell, str):
            continue
        text = ascii_key(cell).strip()
        if _SIGNATURE_WORDS.search(text):
            return True
        in_date_column = position in date_columns and not _BLANK_OR_PLACE.search(text)
        if not in_date_column and _DATE_LINE.search(text):
            return True
    return False


_COLUMN_NUMBER = re.compile(r"^(\(?\d{1,2}\)?|[a-z]|\(?\d{1,2}\)?\s*=\s*[\d\s/*x+().-]+)$")
_SECTION_LABEL = re.compile(r"^([ivxlc]+|[a-z]|\d{1,2})[.)]?$")


def is_column_number_row(cells: list[object]) -> bool:
    """Tell whether a row numbers the columns, as under the header of many official
    reports ("A", "B", "1", "2", "3=2/1" or "(1)", "(2)")."""
    filled = [cell for cell in cells if cell is not None and str(cell).strip()]
    if len(filled) < 2:
        return False
    return all(isinstance(cell, (int, str)) and _COLUMN_NUMBER.match(ascii_key(str(cell)).strip()) for cell in filled)


def is_section_row(cells: list[object], layout: SheetLayout) -> bool:
    """Tell whether a row heads a group of rows ("I | CẤP TỈNH", "A. CÁC XÃ") rather than
    holding data: at most two cells, some required value missing, and a numbered label
    or a heading in capitals."""
    filled = [(position, cell) for position, cell in enumerate(cells) if cell is not None and str(cell).strip()]
    if not 1 <= len(filled) <= 2:
        return False
    required = [key for key in REQUIRED[layout.kind] if key not in UNIT_FIELDS]
    filled_fields = {layout.mapping.get(position) for position, _ in filled}
    if all(key in filled_fields for key in required):
        return False
    texts = [str(cell).strip() for _, cell in filled]
    numbered = len(texts) == 2 and _SECTION_LABEL.match(ascii_key(texts[0]))
    capitals = any(text.isupper() for text in texts)
    return bool(numbered or capitals)


def missing_columns(layout: SheetLayout) -> list[tuple[str, str]]:
    """Return a Vietnamese and English message for each required column the sheet lacks."""
    kind = layout.kind
    label = KIND_LABELS[kind]
    messages = []
    for key in REQUIRED[kind]:
        if key in layout.fields or (layout.portal and key == "period"):
            continue
        messages.append(
            (
                f"Thiếu cột bắt buộc “{field_header(kind, key)}” trong bảng {label.vi.lower()}. "
                "Hãy thêm cột này, theo đúng tên trong tệp mẫu.",
                f"Required column “{field_header(kind, key, 'en')}” is missing from the "
                f"{label.en.lower()} table. Add it, named as in the template.",
            )
        )
    return messages + _missing_alternatives(kind, layout.fields)


def _missing_alternatives(kind: str, fields: set[str]) -> list[tuple[str, str]]:
    """Return messages for each "one of these columns" rule that ``fields`` breaks."""
    problems = []
    unit_fields = {
        PROVINCE_STATUS: ({"province_code", "province_name"}, "Mã tỉnh” hoặc “Tỉnh, thành phố", "Province code” or “Province"),
        COMMUNE_STATUS: ({"commune_code", "commune_name"}, "Mã xã” hoặc “Xã, phường", "Commune code” or “Commune"),
        FILING: (UNIT_FIELDS, "Mã đơn vị” hoặc “Đơn vị", "Unit code” or “Unit"),
        SCORES: (UNIT_FIELDS, "Mã đơn vị” hoặc “Đơn vị", "Unit code” or “Unit"),
    }
    if kind in unit_fields and not fields & unit_fields[kind][0]:
        _, vi, en = unit_fields[kind]
        problems.append((f"Thiếu cột đơn vị: cần cột “{vi}”.", f"The unit column is missing: add “{en}”."))
    if kind == COMMUNE_STATUS and not fields & {"status", *CONDITION_KEYS}:
        problems.append(
            (
                "Thiếu cột “Trạng thái” và các cột điều kiện: cần ít nhất một trong số đó.",
                "Both the “Status” column and the condition columns are missing: add at least one of them.",
            )
        )
    if kind == FILING and not fields & {"online", "rate"}:
        problems.append(
            (
                "Thiếu cột “Hồ sơ trực tuyến” (hoặc “Tỷ lệ trực tuyến”).",
                "The “Online dossiers” column (or “Online rate”) is missing.",
            )
        )
    return problems


def missing_conditions_message(layout: SheetLayout) -> tuple[str, str] | None:
    """Warn when a commune sheet without a status column lacks some condition columns:
    the rules then count those conditions as not met."""
    if layout.kind != COMMUNE_STATUS or "status" in layout.fields:
        return None
    absent = [key for key in CONDITION_KEYS if key not in layout.fields]
    if not absent or len(absent) == len(CONDITION_KEYS):
        return None
    names_vi = ", ".join(field_header(COMMUNE_STATUS, key) for key in absent)
    names_en = ", ".join(field_header(COMMUNE_STATUS, key, "en") for key in absent)
    return (
        f"Thiếu cột điều kiện: {names_vi}. Khi không ghi trạng thái, các điều kiện này được coi là chưa đạt, "
        "nên không xã nào được Xanh. Hãy thêm các cột này hoặc cột “Trạng thái”.",
        f"Condition columns are missing: {names_en}. Without a status column these conditions count as "
        "not met, so no commune can be green. Add them or a “Status” column.",
    )


def unread_columns_message(layout: SheetLayout) -> tuple[str, str] | None:
    """Name the columns of a sheet that are not read: unknown headers and repeated ones."""
    if layout.portal:
        return None
    headers = layout.headers or layout.sheet.rows[layout.header_index]
    unread = unmapped_headers(layout.kind, headers, layout.mapping)
    if not unread:
        return None
    names = ", ".join(f"“{header}”" for _, header in unread)
    return (
        f"Các cột sau không được đọc vì không khớp tên cột nào trong mẫu, hoặc trùng tên với cột trước: {names}. "
        "Nếu cần, hãy đổi tên cột theo tệp mẫu.",
        f"These columns are not read, because their headers match no template column or repeat an "
        f"earlier one: {names}. Rename them as in the template if they matter.",
    )
