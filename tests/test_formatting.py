"""Text for the screen and the command line: numbers, problem tables, versions and file problems."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from geo.units import communes, provinces
from monitoring.file_problems import missing_units_warning, unit_label
from monitoring.formatting import (
    format_change,
    number,
    problems_table,
    report_file_name,
    value_text,
    version_label,
    versions_screen_table,
    versions_table,
)
from monitoring.model import COMMUNE_STATUS, KINDS, PROVINCE_STATUS
from monitoring.problems import ERROR, WARNING, Problem, ValidationReport
from monitoring.store import Change, Version

# 13:53 UTC is 20:53 in Vietnam (UTC+7).
IMPORTED_AT = datetime(2026, 12, 4, 13, 53, tzinfo=timezone.utc)
RESTORED_AT = datetime(2026, 12, 4, 14, 5, tzinfo=timezone.utc)


def import_version(version_id: int = 3, rows: int = 99_630) -> Version:
    return Version(version_id, IMPORTED_AT, "import", (PROVINCE_STATUS, COMMUNE_STATUS), "tinh.csv", rows, None, None)


def restore_version(version_id: int = 4, restored_from: int = 0) -> Version:
    return Version(version_id, RESTORED_AT, "restore", tuple(KINDS), None, 0, restored_from, None)


def test_number_uses_locale_separators():
    assert number(99_630, "vi") == "99.630"
    assert number(99_630, "en") == "99,630"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.85, "vi", "0,85"),
        (0.85, "en", "0.85"),
        (3310, "vi", "3.310"),
        (1234.56789, "vi", "1.234,56789"),
        ("0.85", "vi", "0.85"),
        (True, "vi", "True"),
        (datetime(2025, 7, 15), "vi", "15/07/2025"),
        (datetime(2025, 7, 15, 8, 30), "en", "15/07/2025 08:30"),
        (date(2025, 7, 15), "en", "15/07/2025"),
        (None, "vi", None),
    ],
)
def test_value_text(value, lang, expected):
    assert value_text(value, lang) == expected


def problem_report() -> ValidationReport:
    report = ValidationReport("x.xlsx", kinds=[PROVINCE_STATUS], rows=3)
    report.add(Problem(WARNING, "Trang 1", 4, "Tỷ lệ", 0.85, "cảnh báo", "warning"))
    report.add(Problem(ERROR, "Trang 1", 3, "Trạng thái", "Tím", "lỗi", "error"))
    return report


def test_problems_table_vietnamese_numbers():
    table = problems_table(problem_report(), "vi")

    assert list(table.columns) == ["Mức", "Trang", "Dòng", "Cột", "Giá trị", "Vấn đề"]
    assert list(table["Mức"]) == ["Lỗi", "Cảnh báo"]
    assert list(table["Giá trị"]) == ["Tím", "0,85"]
    assert list(table["Dòng"]) == [3, 4]


def test_problems_table_english():
    table = problems_table(problem_report(), "en")

    assert list(table["Level"]) == ["Error", "Warning"]
    assert list(table["Value"]) == ["Tím", "0.85"]
    assert list(table["Problem"]) == ["error", "warning"]


def test_problems_table_custom_labels():
    table = problems_table(problem_report(), "vi", {ERROR: "E!", WARNING: "W!"})
    assert list(table["Mức"]) == ["E!", "W!"]


@pytest.mark.parametrize(
    ("file_name", "lang", "expected"),
    [
        ("x.xlsx", "vi", "kiem_tra_x.csv"),
        ("x.xlsx", "en", "validation_x.csv"),
        ("bao cao.tinh.csv", "vi", "kiem_tra_bao cao.tinh.csv"),
        ("tinh", "vi", "kiem_tra_tinh.csv"),
    ],
)
def test_report_file_name(file_name, lang, expected):
    assert report_file_name(file_name, lang) == expected


def test_versions_screen_table_vietnamese():
    table = versions_screen_table([restore_version(), import_version()], "vi")

    assert list(table.columns) == ["Phiên bản", "Thời gian", "Thao tác", "Tệp", "Bảng", "Số dòng"]
    assert list(table["Số dòng"]) == ["—", "99.630"]
    assert list(table["Tệp"]) == ["phiên bản 0", "tinh.csv"]
    assert list(table["Bảng"]) == ["Tất cả các bảng", "Trạng thái tỉnh, thành phố; Trạng thái xã, phường"]
    assert list(table["Thời gian"]) == ["04/12/2026 21:05", "04/12/2026 20:53"]


def test_versions_screen_table_english():
    table = versions_screen_table([restore_version(), import_version()], "en")

    assert list(table.columns) == ["Version", "Time", "Action", "File", "Tables", "Rows"]
    assert list(table["Rows"]) == ["—", "99,630"]
    assert list(table["Tables"]) == ["All tables", "Province status; Commune status"]


def test_versions_table_keeps_command_line_layout():
    table = versions_table([import_version()], "vi")

    assert list(table.columns) == ["Phiên bản", "Thời gian", "Thao tác", "Bảng", "Số dòng", "Tệp"]
    assert table["Số dòng"].tolist() == [99_630]
    assert table["Bảng"].tolist() == ["Trạng thái tỉnh, thành phố, Trạng thái xã, phường"]


def test_version_label_vietnamese():
    assert version_label(import_version(), "vi") == "Phiên bản 3 — 04/12/2026 20:53 — tinh.csv"
    assert version_label(import_version(), "vi", current=True) == "Phiên bản 3 — 04/12/2026 20:53 — tinh.csv (hiện tại)"
    assert version_label(restore_version(), "vi") == "Phiên bản 4 — 04/12/2026 21:05 — khôi phục phiên bản 0"
    assert version_label(None, "vi") == "Phiên bản 0 — dữ liệu mẫu"


def test_version_label_english():
    assert version_label(import_version(), "en", current=True) == "Version 3 — 04/12/2026 20:53 — tinh.csv (current)"
    assert version_label(restore_version(), "en") == "Version 4 — 04/12/2026 21:05 — restore of version 0"
    assert version_label(None, "en") == "Version 0 — the sample"


def test_format_change_counts():
    change = Change(added=1_200, replaced=3, unchanged=99_630, removed=2)

    assert format_change(PROVINCE_STATUS, change, "vi") == (
        "Trạng thái tỉnh, thành phố: thêm 1.200 dòng, thay 3 dòng, bỏ 2 dòng, giữ nguyên 99.630 dòng."
    )
    assert format_change(PROVINCE_STATUS, change, "en") == (
        "Province status: 1,200 added, 3 replaced, 2 removed, 99,630 unchanged."
    )


def test_format_change_skips_zero_counts():
    change = Change(added=0, replaced=0, unchanged=5, removed=0)
    assert format_change(PROVINCE_STATUS, change, "vi") == "Trạng thái tỉnh, thành phố: giữ nguyên 5 dòng."


def test_format_change_replaces_sample():
    change = Change(added=1, replaced=0, unchanged=0, removed=204, replaces_sample=True)
    assert format_change(PROVINCE_STATUS, change, "vi") == "Trạng thái tỉnh, thành phố: 1 dòng thay cho 204 dòng dữ liệu mẫu."
    assert format_change(PROVINCE_STATUS, change, "en") == "Province status: 1 row replaces the sample's 204."


def test_missing_units_warning_locale_numbers():
    official = communes()
    missing = official.index[1:]

    warning = missing_units_warning(COMMUNE_STATUS, official, missing, pd.Timestamp("2025-07-15"))

    more = len(missing) - 10
    assert f"{number(len(missing), 'vi')} xã, phường không có dữ liệu ngày 15/07/2025" in warning.message_vi
    assert warning.message_vi.endswith(f" và {number(more, 'vi')} đơn vị khác.")
    assert f"{number(len(missing), 'en')} communes have no data for 15/07/2025" in warning.message_en
    assert warning.message_en.endswith(f" and {number(more, 'en')} more.")
    assert "." in number(more, "vi")
    assert "," in number(more, "en")


def test_missing_units_warning_one_province():
    official = provinces()
    missing = official.index[:1]

    warning = missing_units_warning(PROVINCE_STATUS, official, missing, pd.Timestamp("2025-07-15"))

    assert warning.message_en.startswith("1 province has no data for 15/07/2025: ")
    assert warning.message_vi.startswith("1 tỉnh, thành phố không có dữ liệu ngày 15/07/2025: ")


def test_unit_label_languages():
    name = provinces().at["56", "name"]

    assert unit_label({"province_code": "56"}) == f"{name} (mã 56)"
    assert unit_label({"province_code": "56"}, "en") == f"{name} (code 56)"
    assert unit_label({"task_id": "NV-1"}, "vi") == "Nhiệm vụ NV-1"
    assert unit_label({"task_id": "NV-1"}, "en") == "Task NV-1"


def test_period_labels():
    from monitoring.formatting import period_label

    assert period_label("2025-07") == "Tháng 7/2025"
    assert period_label("2025-10", "en") == "October 2025"
    assert period_label("2025") == "Năm 2025"
    assert period_label("2025", "en") == "Year 2025"
