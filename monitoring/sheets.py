"""Find the table in each sheet of a file: its kind, header row and columns, and the
sheet-level problems (hidden sheets, columns that are not read, missing columns).

Also recognises the rows that frame a table in Vietnamese reports and are not data:
a total row ("Tổng cộng") and the signature block under the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geo.names import ascii_key
from monitoring import portal766
from monitoring.columns import FIELDS, REQUIRED, detect, header_key, unmapped_headers
from monitoring.model import COMMUNE_STATUS, CONDITION_KEYS, FILING, KIND_LABELS, PROVINCE_STATUS, SCORES
from monitoring.reading import RawSheet

GUIDE_SHEETS = frozenset({"huong dan", "guide", "instructions", "huong dan nhap lieu"})
"""Names of the explanation sheets that the templates include; they are never read."""

TOTAL_ROW_NAMES = frozenset({"tong", "tong cong", "cong", "toan quoc", "ca nuoc", "total", "grand total", "tong so"})
"""Labels of the summary rows that spreadsheets add under the data; those rows are skipped."""

_FOOTER_MARKERS = re.compile(
    r"^(nguoi lap|nguoi ky|thu truong|ky,? ghi ro|\(ky|noi nhan|giam doc|pho giam doc|chu tich|"
    r"kt\.? |tm\.? |xac nhan|can bo lap|lanh dao)"
    r"|ngay \d{1,2} thang \d{1,2} nam \d{4}"
)
_FOOTER_MAX_CELLS = 3

UNIT_FIELDS = frozenset({"province_code", "province_name", "commune_code", "commune_name", "unit_code", "unit_name"})


@dataclass
class SheetLayout:
    """The table found in a sheet: its kind, header row and the field of each column.

    ``constants`` are fields that the sheet gives once rather than per row (the period
    of a 766 export). ``code_level`` is "commune" when a generic code column holds
    five-digit codes, so a code that lost its leading zeros ("4") is still a commune.
    """

    sheet: RawSheet
    kind: str
    header_index: int
    mapping: dict[int, str]
    constants: dict[str, object] = field(default_factory=dict)
    portal: bool = False
    code_level: str = "province"
    rate_scale: str | None = None

    def header_of(self, key: str) -> str:
        for position, mapped in self.mapping.items():
            if mapped == key:
                return str(self.sheet.rows[self.header_index][position])
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
    """Return the layout of the table in ``sheet``, or None when it holds no known table."""
    portal = portal766.layout(sheet, sheets, file_name)
    if portal is not None:
        return SheetLayout(sheet, SCORES, portal.header_index, portal.mapping, portal.constants, portal=True)

    found = detect(sheet.rows)
    if found is None:
        return None
    kind, header_index, mapping = found
    layout = SheetLayout(sheet, kind, header_index, mapping)
    layout.code_level = _code_level(layout)
    return layout


def _code_level(layout: SheetLayout) -> str:
    positions = [position for position, key in layout.mapping.items() if key == "unit_code"]
    if not positions:
        return "province"
    for row in layout.sheet.rows[layout.header_index + 1 :]:
        if len(row) > positions[0] and len(_digits(row[positions[0]])) > 2:
            return "commune"
    return "province"


def _digits(value: object) -> str:
    text = str(value if value is not None else "").strip().lstrip("'")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text if text.isdecimal() else ""


def is_guide_sheet(sheet: RawSheet) -> bool:
    return header_key(sheet.name) in GUIDE_SHEETS


def is_total_row(cells: list[object]) -> bool:
    """Tell whether a row is a total row, whatever column holds its label."""
    return any(isinstance(cell, str) and _is_total_label(cell) for cell in cells)


@lru_cache(maxsize=65_536)
def _is_total_label(text: str) -> bool:
    return header_key(text) in TOTAL_ROW_NAMES


def is_footer_row(cells: list[object]) -> bool:
    """Tell whether a row starts the signature block under a table ("Người lập biểu",
    "Hà Nội, ngày 15 tháng 7 năm 2025"): a row of at most three cells, one of them a
    signature phrase."""
    filled = [cell for cell in cells if cell is not None and str(cell).strip()]
    if not filled or len(filled) > _FOOTER_MAX_CELLS:
        return False
    return any(isinstance(cell, str) and _FOOTER_MARKERS.search(ascii_key(cell).strip()) for cell in filled)


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
    headers = layout.sheet.rows[layout.header_index]
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
