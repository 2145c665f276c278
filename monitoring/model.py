"""The status data model: statuses, readiness conditions, task groups and tables.

Every table is a tidy pandas DataFrame keyed by official GSO codes (``geo.units``):
two digits for a province, five for a commune. Dates are ``datetime64`` values at
midnight. Rates are never stored; they are derived from the dossier counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

XANH = "xanh"
VANG = "vang"
DO = "do"
STATUSES = (XANH, VANG, DO)
"""Status codes, from ready to behind."""

STATUS_LABELS = {
    XANH: {"vi": "Xanh", "en": "Green"},
    VANG: {"vi": "Vàng", "en": "Yellow"},
    DO: {"vi": "Đỏ", "en": "Red"},
}

NO_DATA_LABEL = {"vi": "Chưa có dữ liệu", "en": "No data"}


@dataclass(frozen=True)
class Label:
    """A stable key with its Vietnamese and English labels."""

    key: str
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


CONDITIONS = (
    Label("digital_signature", "Chữ ký số", "Digital signature"),
    Label("digital_certificate", "Chứng thư số", "Digital certificate"),
    Label("seal", "Con dấu", "Seal"),
    Label("support_staff", "Nhân sự hỗ trợ", "Support staff"),
    Label("public_service_software", "Phần mềm dịch vụ công", "Public-service software"),
    Label("civil_registry_software", "Phần mềm hộ tịch", "Civil-registry software"),
    Label("connectivity", "Đường truyền kết nối", "Connectivity"),
    Label("database_access", "Truy cập cơ sở dữ liệu", "Database access"),
    Label("data_reuse", "Tái sử dụng dữ liệu số hóa", "Reuse of digitised data"),
    Label("written_procedures", "Quy trình bằng văn bản", "Written procedures"),
)
"""Readiness conditions of a commune's Public Administrative Service Centre."""

CONDITION_KEYS = tuple(condition.key for condition in CONDITIONS)

TASK_GROUPS = (
    Label("institutional", "Thể chế, pháp lý", "Institutional and legal"),
    Label("infrastructure", "Hạ tầng số và cơ sở dữ liệu then chốt", "Digital infrastructure and key databases"),
    Label("platforms", "Nền tảng, ứng dụng dùng chung", "Platforms and applications"),
    Label("human_resources", "Nhân lực", "Human resources"),
)
"""Task groups of the plan. A task can belong to several groups."""

TASK_GROUP_KEYS = tuple(group.key for group in TASK_GROUPS)

SCORE_GROUPS = (
    Label("tdgq", "Tiến độ giải quyết", "Processing progress"),
    Label("mdhl", "Mức độ hài lòng", "Satisfaction"),
    Label("mdsh", "Số hóa hồ sơ", "Digitisation of dossiers"),
    Label("tttt", "Thanh toán trực tuyến", "Online payment"),
    Label("clgq", "Cung cấp dịch vụ trực tuyến", "Online services"),
    Label("ckmb", "Công khai, minh bạch", "Publicity and transparency"),
)
"""The six score groups of the 766 service index, by the portal's column names."""

SCORE_MAXIMUM = {"tdgq": 20.0, "mdhl": 18.0, "mdsh": 22.0, "tttt": 10.0, "clgq": 12.0, "ckmb": 18.0}
"""Maximum points of each 766 score group; they add up to 100."""

SCORE_KEYS = tuple(group.key for group in SCORE_GROUPS)

PROVINCE_STATUS = "province_status"
COMMUNE_STATUS = "commune_status"
FILING = "filing"
TASKS = "tasks"
SCORES = "scores"
KINDS = (PROVINCE_STATUS, COMMUNE_STATUS, FILING, TASKS, SCORES)

KIND_LABELS = {
    PROVINCE_STATUS: Label(PROVINCE_STATUS, "Trạng thái tỉnh, thành phố", "Province status"),
    COMMUNE_STATUS: Label(COMMUNE_STATUS, "Trạng thái xã, phường", "Commune status"),
    FILING: Label(FILING, "Hồ sơ trực tuyến", "Online filing"),
    TASKS: Label(TASKS, "Nhiệm vụ", "Tasks"),
    SCORES: Label(SCORES, "Chỉ số 766", "766 index"),
}

COLUMNS = {
    PROVINCE_STATUS: ("report_date", "province_code", "status", "note"),
    COMMUNE_STATUS: ("report_date", "commune_code", "status", *CONDITION_KEYS, "note"),
    FILING: ("date", "unit_code", "online", "total"),
    TASKS: ("task_id", "title", "body", "groups", "deadline", "completed", "evidence"),
    SCORES: ("period", "unit_code", *SCORE_KEYS, "total"),
}
"""Columns of each table, in order."""

KEYS = {
    PROVINCE_STATUS: ("report_date", "province_code"),
    COMMUNE_STATUS: ("report_date", "commune_code"),
    FILING: ("date", "unit_code"),
    TASKS: ("task_id",),
    SCORES: ("period", "unit_code"),
}
"""Columns that identify a row. An import replaces stored rows with the same key."""

DATE_COLUMNS = {
    PROVINCE_STATUS: ("report_date",),
    COMMUNE_STATUS: ("report_date",),
    FILING: ("date",),
    TASKS: ("deadline", "completed"),
    SCORES: (),
}

JUNE_BASELINE = (pd.Timestamp("2025-06-01"), pd.Timestamp("2025-06-30"))
"""First and last day of June 2025: a province's daily average over it is its baseline."""


def empty_table(kind: str) -> pd.DataFrame:
    """Return an empty table of ``kind`` with its columns and dtypes."""
    return normalise_table(kind, pd.DataFrame(columns=list(COLUMNS[kind])))


def column_dtypes(kind: str) -> dict[str, str]:
    """Return the pandas dtype of each non-date column of ``kind``."""
    dtypes = {}
    for column in COLUMNS[kind]:
        if column in DATE_COLUMNS[kind]:
            continue
        if column in CONDITION_KEYS:
            dtypes[column] = "boolean"
        elif kind == FILING and column in ("online", "total"):
            dtypes[column] = "int64"
        elif kind == SCORES and column not in ("period", "unit_code"):
            dtypes[column] = "float64"
        else:
            dtypes[column] = "string"
    return dtypes


def normalise_table(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the columns of ``kind`` in order, their dtypes, sorted by key."""
    table = frame.reindex(columns=list(COLUMNS[kind])).copy()
    for column in DATE_COLUMNS[kind]:
        table[column] = pd.to_datetime(table[column]).astype("datetime64[ns]")
    for column, dtype in column_dtypes(kind).items():
        table[column] = table[column].astype(dtype)
    return table.sort_values(list(KEYS[kind]), ignore_index=True)


def group_keys(groups: str) -> list[str]:
    """Split a stored ``groups`` value ("institutional;platforms") into keys."""
    return [key for key in str(groups).split(";") if key]
