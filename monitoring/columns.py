"""The columns users write in their files: template headers, accepted aliases,
and detection of which table a sheet holds.

Headers are compared by `header_key`: without accents, case, punctuation or a
bracketed hint, so "Tỷ lệ trực tuyến (%)" and "ty le truc tuyen" are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.names import ascii_key
from monitoring.model import (
    COMMUNE_STATUS,
    CONDITIONS,
    FILING,
    PROVINCE_STATUS,
    SCORE_GROUPS,
    SCORES,
    TASKS,
)

HEADER_SCAN_ROWS = 30
"""Rows searched from the top of a sheet for the header, below any title rows."""


@dataclass(frozen=True)
class Field:
    """An input column: its key, template headers and the other headers accepted."""

    key: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()

    def header(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


_BRACKETED = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_HINTS = re.compile(
    r"^[\s%*#0-9/.,:=+-]*$|^(dd/mm/yyyy|dd/mm/yy|ngay/thang/nam|co/khong|c/k|x|yes/no|y/n|ho so|so ho so|diem"
    r"|ty le|percent|count|number|so luong|nam|thang|ma|code|bat buoc|required|neu co|if any)$"
)


def _drop_hint(match: re.Match) -> str:
    """Drop a bracketed hint such as "(%)", "(dd/mm/yyyy)" or "(1)", but keep words that
    change the meaning: "Tổng số (xã)" counts communes, not dossiers."""
    inner = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
    return " " if _HINTS.match(inner) else f" {inner} "


def header_key(text: object) -> str:
    """Return the comparison key of a header."""
    plain = ascii_key(str(text or ""))
    plain = _BRACKETED.sub(_drop_hint, plain)
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


_REPORT_DATE = Field("report_date", "Ngày báo cáo", "Report date", ("ngay", "date", "ngay bc", "ky bao cao"))
_PROVINCE_CODE = Field("province_code", "Mã tỉnh", "Province code", ("ma tinh thanh pho", "ma tinh tp"))
_PROVINCE_NAME = Field(
    "province_name",
    "Tỉnh, thành phố",
    "Province",
    ("tinh", "tinh thanh pho", "tinh tp", "ten tinh", "ten tinh thanh pho", "thanh pho", "province", "province name"),
)
_COMMUNE_CODE = Field("commune_code", "Mã xã", "Commune code", ("ma xa phuong", "ma phuong xa", "ma dvhc xa"))
_COMMUNE_NAME = Field(
    "commune_name",
    "Xã, phường",
    "Commune",
    ("xa", "xa phuong", "phuong xa", "ten xa", "ten xa phuong", "xa phuong dac khu", "commune name", "ward"),
)
_UNIT_CODE = Field("unit_code", "Mã đơn vị", "Unit code", ("ma", "ma dvhc", "code", "gso code", "ma hanh chinh"))
_UNIT_NAME = Field("unit_name", "Đơn vị", "Unit", ("ten don vi", "ten", "don vi hanh chinh", "unit name", "name"))
_STATUS = Field("status", "Trạng thái", "Status", ("trang thai", "muc", "mau", "xep loai", "danh gia", "status"))
_NOTE = Field("note", "Ghi chú", "Note", ("ghi chu", "note", "notes", "nhan xet"))

_CONDITION_ALIASES = {
    "digital_signature": ("ky so", "chu ky dien tu"),
    "digital_certificate": ("chung thu", "chung thu so ca nhan", "chung thu so to chuc"),
    "seal": ("con dau",),
    "support_staff": ("nhan su", "can bo ho tro", "nhan vien ho tro", "nhan luc ho tro"),
    "public_service_software": ("he thong dich vu cong", "phan mem dvc", "he thong thong tin giai quyet tthc"),
    "civil_registry_software": ("ho tich", "phan mem ho tich dien tu"),
    "connectivity": ("duong truyen", "ket noi mang", "mang internet", "internet", "ha tang mang"),
    "database_access": ("co so du lieu", "csdl", "truy cap csdl", "khai thac co so du lieu"),
    "data_reuse": ("tai su dung du lieu", "du lieu so hoa", "tai su dung ket qua so hoa"),
    "written_procedures": ("quy trinh", "quy trinh noi bo", "quy che", "quy che hoat dong"),
}
"""Other headers people give the readiness conditions; a header that contains one of
these (or the label) is read as that condition."""

_CONDITION_FIELDS = tuple(
    Field(condition.key, condition.vi, condition.en, _CONDITION_ALIASES[condition.key]) for condition in CONDITIONS
)

FIELDS = {
    PROVINCE_STATUS: (_REPORT_DATE, _PROVINCE_CODE, _PROVINCE_NAME, _STATUS, _NOTE),
    COMMUNE_STATUS: (
        _REPORT_DATE,
        _COMMUNE_CODE,
        _COMMUNE_NAME,
        _PROVINCE_NAME,
        _PROVINCE_CODE,
        _STATUS,
        *_CONDITION_FIELDS,
        _NOTE,
    ),
    FILING: (
        Field("date", "Ngày", "Date", ("ngay nhan", "ngay tiep nhan", "ngay bao cao", "report date")),
        _UNIT_CODE,
        _UNIT_NAME,
        _COMMUNE_CODE,
        _COMMUNE_NAME,
        _PROVINCE_CODE,
        _PROVINCE_NAME,
        Field(
            "online",
            "Hồ sơ trực tuyến",
            "Online dossiers",
            (
                "truc tuyen",
                "so ho so truc tuyen",
                "ho so nop truc tuyen",
                "so ho so nop truc tuyen",
                "online",
                "online dossiers",
                "online applications",
                "online submissions",
            ),
        ),
        Field(
            "total",
            "Tổng số hồ sơ",
            "Total dossiers",
            (
                "tong ho so",
                "tong so",
                "tong",
                "so ho so",
                "total",
                "ho so tiep nhan",
                "so ho so tiep nhan",
                "tong ho so tiep nhan",
                "tong so ho so tiep nhan",
                "total applications",
                "applications",
            ),
        ),
        Field(
            "rate",
            "Tỷ lệ trực tuyến",
            "Online rate",
            ("ty le", "ty le nop truc tuyen", "ty le ho so truc tuyen", "rate", "online rate", "online share"),
        ),
    ),
    TASKS: (
        Field("task_id", "Mã nhiệm vụ", "Task ID", ("ma", "ma nv", "id", "task id", "so hieu", "ky hieu")),
        Field("title", "Tên nhiệm vụ", "Title", ("nhiem vu", "noi dung", "noi dung nhiem vu", "title", "task")),
        Field(
            "body",
            "Cơ quan chủ trì",
            "Responsible body",
            ("co quan", "don vi chu tri", "chu tri", "co quan thuc hien", "responsible", "responsible body", "owner"),
        ),
        Field("groups", "Nhóm nhiệm vụ", "Groups", ("nhom", "nhom nv", "linh vuc", "group", "groups")),
        Field("deadline", "Hạn hoàn thành", "Deadline", ("han", "thoi han", "thoi han hoan thanh", "deadline", "due")),
        Field(
            "completed",
            "Ngày hoàn thành",
            "Completed on",
            ("hoan thanh", "ngay hoan thanh thuc te", "completion date", "completed", "done"),
        ),
        Field(
            "evidence",
            "Minh chứng kết quả",
            "Evidence of output",
            ("minh chung", "ket qua", "san pham", "san pham dau ra", "evidence", "output", "link"),
        ),
    ),
    SCORES: (
        Field("period", "Kỳ đánh giá", "Period", ("ky", "ky danh gia", "thang", "nam", "period")),
        _UNIT_CODE,
        _UNIT_NAME,
        _COMMUNE_CODE,
        _COMMUNE_NAME,
        _PROVINCE_CODE,
        _PROVINCE_NAME,
        *(Field(group.key, f"{group.vi} ({group.key.upper()})", group.en, (group.key, group.vi)) for group in SCORE_GROUPS),
        Field("total", "Tổng điểm", "Total score", ("tong diem", "tong", "diem", "total", "tong score", "score")),
    ),
}
"""Input fields of each kind, in template order."""

REQUIRED = {
    PROVINCE_STATUS: ("report_date", "status"),
    COMMUNE_STATUS: ("report_date",),
    FILING: ("date", "total"),
    TASKS: ("task_id", "title", "groups", "deadline"),
    SCORES: ("period", "total"),
}
"""Fields a sheet of each kind must have. A unit column (code or name) is also required,
and each kind's other alternatives are checked in `monitoring.validate`."""

_SIGNATURE = {
    PROVINCE_STATUS: {"status"},
    COMMUNE_STATUS: {"commune_code", "commune_name", *(condition.key for condition in CONDITIONS)},
    FILING: {"online", "total", "rate"},
    TASKS: {"task_id", "title", "body", "groups", "deadline", "completed", "evidence"},
    SCORES: {"total", *(group.key for group in SCORE_GROUPS)},
}
"""Fields that tell one kind from the others when detecting a sheet's kind."""


def _lookup(kind: str) -> dict[str, str]:
    lookup = {}
    for field in FIELDS[kind]:
        for header in (field.key, field.vi, field.en, *field.aliases):
            lookup.setdefault(header_key(header), field.key)
    return lookup


_LOOKUPS = {kind: _lookup(kind) for kind in FIELDS}


IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "no", "#"})
"""Headers of row-number columns, which are neither read nor reported as unknown."""

_CONDITION_KEYS = frozenset(condition.key for condition in CONDITIONS)


def _condition_within(kind: str, key: str) -> str | None:
    """Return the condition whose label a longer header contains ("Đã có chữ ký số" →
    digital_signature). Only condition columns are matched this loosely, because
    their headers are often written as questions or sentences."""
    if kind != COMMUNE_STATUS:
        return None
    found = [
        (len(header_key(label)), field.key)
        for field in FIELDS[kind]
        if field.key in _CONDITION_KEYS
        for label in (field.vi, field.en, *field.aliases)
        if f" {header_key(label)} " in f" {key} "
    ]
    return max(found)[1] if found else None


def map_headers(kind: str, headers: list[object]) -> dict[int, str]:
    """Map column positions of a header row to field keys of ``kind``; the first
    column with a field's header wins."""
    lookup = _LOOKUPS[kind]
    mapping: dict[int, str] = {}
    for position, header in enumerate(headers):
        key = header_key(header)
        field_key = lookup.get(key) or _condition_within(kind, key)
        if field_key and field_key not in mapping.values():
            mapping[position] = field_key
    return mapping


def unmapped_headers(kind: str, headers: list[object], mapping: dict[int, str]) -> list[tuple[int, str]]:
    """Return the (position, header) of columns that are not read: unknown headers and
    repeats of a header already mapped. Empty headers and row numbers are left out."""
    unread = []
    for position, header in enumerate(headers):
        key = header_key(header)
        if position in mapping or not key or key in IGNORED_HEADERS:
            continue
        unread.append((position, str(header)))
    return unread


def _kind_score(kind: str, fields: set[str]) -> int:
    """Score how well a header row fits ``kind``: distinctive fields count most."""
    distinctive = len(fields & _SIGNATURE[kind])
    required = len(fields & set(REQUIRED[kind]))
    return 0 if distinctive == 0 else 3 * distinctive + required + 2 * len(fields)


def _merged_header(upper: list[object], lower: list[object]) -> list[object]:
    """Combine a two-row header: a group header merged over several columns ("Điều
    kiện" over the ten conditions) above the columns' own headers."""
    width = max(len(upper), len(lower))
    cells = []
    for position in range(width):
        below = lower[position] if position < len(lower) else None
        above = upper[position] if position < len(upper) else None
        cells.append(below if below is not None and str(below).strip() else above)
    return cells


def detect(rows: list[list[object]]) -> tuple[str, int, dict[int, str], list[object]] | None:
    """Find the header row and the kind of a sheet.

    Returns (kind, index of the last header row, column mapping, header cells), or None
    when no row of the first `HEADER_SCAN_ROWS` looks like a header of a known kind. A
    header may span two rows, as when cells merged over two rows stand beside a group
    header over sub-columns. The data then starts below the second row.
    """
    best: tuple[int, str, int, dict[int, str], list[object]] | None = None
    scanned = rows[:HEADER_SCAN_ROWS]
    for index, row in enumerate(scanned):
        candidates = [(index, row)]
        if index + 1 < len(rows):
            candidates.append((index + 1, _merged_header(row, rows[index + 1])))
        for last_row, headers in candidates:
            for kind in FIELDS:
                mapping = map_headers(kind, headers)
                score = _kind_score(kind, set(mapping.values()))
                if len(mapping) >= 2 and score > 0 and (best is None or score > best[0]):
                    best = (score, kind, last_row, mapping, headers)
    if best is None:
        return None
    return best[1], best[2], best[3], best[4]


def template_headers(kind: str, lang: str = "vi") -> list[str]:
    """Return the template headers of ``kind``: codes and names, never a generic unit column."""
    generic = {"unit_code", "unit_name"} if kind in (FILING, SCORES) else set()
    return [field.header(lang) for field in FIELDS[kind] if field.key not in generic]
