"""``python -m monitoring``: JSON keys, text, exit status, messages and the database it uses.

Most tests run the command as a real process; the text formatting is also checked directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from monitoring.formatting import format_report
from monitoring.problems import ERROR, WARNING, Problem, ValidationReport

REPO = Path(__file__).resolve().parents[1]

REPORT_FIGURES = {
    "provinces": {"xanh": 33, "vang": 1, "do": 0, "no_data": 0},
    "communes_reported": 3320,
    "coverage": {"over_50": 9, "over_70": 5, "under_10": 9},
    "tasks_overdue": 11,
    "tasks_by_group": {"institutional": 5, "infrastructure": 3, "platforms": 2, "human_resources": 2},
}


PROVINCE_CSV = "Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,01,Đỏ\n"


def run_monitoring(*args: str, database: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    if database is not None:
        env["DXMAP_DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_validate_json_keys(portal_export):
    result = run_monitoring("validate", str(portal_export), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["kind"] == "scores"
    assert report["rows"] == 170
    assert report["errors"] == []
    assert isinstance(report["warnings"], list)


def test_validate_errors_exit_1(tmp_path):
    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Tỉnh,Trạng thái\n15/07/2025,Hà Giang,Xanh\n", encoding="utf-8")
    result = run_monitoring("validate", str(path), "--json")
    error = json.loads(result.stdout)["errors"][0]
    assert result.returncode == 1
    assert set(error) == {"sheet", "row", "column", "value", "message"}
    assert error["row"] == 2
    assert "Tuyên Quang" in error["message"]


def test_validate_unreadable_exit_2(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_monitoring("validate", str(path))
    assert result.returncode == 2
    assert "broken.xlsx" in result.stderr


def test_validate_missing_file_exit_2(tmp_path):
    result = run_monitoring("validate", str(tmp_path / "absent.csv"))
    assert result.returncode == 2


def test_summary_reproduces_report():
    result = run_monitoring("summary", "--as-of", "2025-07-15", "--json")
    figures = json.loads(result.stdout)
    assert result.returncode == 0
    for key, expected in REPORT_FIGURES.items():
        assert figures[key] == expected, key
    assert 0 < figures["online_rate"] < 1


def test_summary_text_vietnamese():
    result = run_monitoring("summary", "--as-of", "2025-07-15")
    assert result.returncode == 0
    assert "33/34 Xanh" in result.stdout
    assert "3.320/3.321" in result.stdout
    assert "15/07/2025" in result.stdout


def test_summary_bad_date():
    result = run_monitoring("summary", "--as-of", "15/07/2025")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_import_then_summary_uses_database(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,01,Đỏ\n", encoding="utf-8")

    imported = run_monitoring("import", str(path), "--json", database=database)
    summary = json.loads(run_monitoring("summary", "--as-of", "2025-07-16", "--json", database=database).stdout)
    assert imported.returncode == 0
    assert json.loads(imported.stdout)["version"] == 1
    assert summary["provinces"] == {"xanh": 0, "vang": 0, "do": 1, "no_data": 33}


def test_import_with_errors_stores_nothing(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,01,Đỏ\n16/07/2025,99,Xanh\n", encoding="utf-8")
    result = run_monitoring("import", str(path), database=database)
    versions = run_monitoring("versions", "--json", database=database)
    assert result.returncode == 1
    assert json.loads(versions.stdout) == []


def test_restore_sample(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text("Ngày báo cáo,Mã tỉnh,Trạng thái\n16/07/2025,01,Đỏ\n", encoding="utf-8")
    run_monitoring("import", str(path), database=database)
    restored = run_monitoring("restore", "0", database=database)
    summary = json.loads(run_monitoring("summary", "--as-of", "2025-07-15", "--json", database=database).stdout)
    assert restored.returncode == 0
    assert summary["provinces"] == REPORT_FIGURES["provinces"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_round_trip(tmp_path, suffix):
    path = tmp_path / f"mau{suffix}"
    written = run_monitoring("template", "commune_status", "--out", str(path))
    validated = run_monitoring("validate", str(path), "--json")
    report = json.loads(validated.stdout)
    assert written.returncode == 0
    assert report["kind"] == "commune_status"
    assert validated.returncode == 1


def test_report_line_uses_labels():
    problem = Problem(ERROR, None, 2, "Mã tỉnh", "99", "Mã tỉnh không hợp lệ.", "Invalid province code.")
    report = ValidationReport("tinh.xlsx", ["province_status", "filing"], 499_998, [problem] * 1_200)
    vietnamese = format_report(report, "vi").splitlines()[0]
    english = format_report(report, "en").splitlines()[0]
    assert vietnamese == "tinh.xlsx (Trạng thái tỉnh, thành phố, Hồ sơ trực tuyến): 499.998 dòng, 1.200 lỗi, 0 cảnh báo."
    assert english == "tinh.xlsx (Province status, Online filing): 499,998 rows, 1,200 errors, 0 warnings."


def test_report_counts_unlisted_problems():
    problem = Problem(ERROR, None, 2, "Mã tỉnh", "99", "Mã tỉnh không hợp lệ.", "Invalid province code.")
    report = ValidationReport("tinh.csv", ["province_status"], 499_998, [problem] * 2, omitted={ERROR: 499_996, WARNING: 0})
    vietnamese = format_report(report, "vi").splitlines()
    english = format_report(report, "en").splitlines()
    assert vietnamese[0] == "tinh.csv (Trạng thái tỉnh, thành phố): 499.998 dòng, 499.998 lỗi, 0 cảnh báo."
    assert vietnamese[3] == "Còn 499.996 vấn đề khác đã được phát hiện nhưng không liệt kê."
    assert english[3] == "499,996 more problems were found but not listed."


def test_validate_text_vietnamese(tmp_path):
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")
    result = run_monitoring("validate", str(path))
    assert result.returncode == 0
    assert result.stdout.startswith("tinh.csv (Trạng thái tỉnh, thành phố): 1 dòng, 0 lỗi")
    assert "province_status" not in result.stdout
    assert "Có thể nhập tệp này." in result.stdout


def test_import_unchanged_data_note(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")

    first = run_monitoring("import", str(path), database=database)
    second = run_monitoring("import", str(path), database=database)
    english = run_monitoring("--lang", "en", "import", str(path), database=database)
    as_json = json.loads(run_monitoring("import", str(path), "--json", database=database).stdout)
    assert first.returncode == 0
    assert "không thay đổi" not in first.stdout
    assert second.returncode == 0
    assert "Đã nhập thành phiên bản 2." in second.stdout
    assert "Lưu ý: dữ liệu không thay đổi" in second.stdout
    assert english.returncode == 0
    assert "Note: the data did not change" in english.stdout
    assert as_json["version"] == 4
    assert as_json["changed"] is False


def test_import_changed_data_no_note(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")
    run_monitoring("import", str(path), database=database)
    path.write_text(PROVINCE_CSV.replace("Đỏ", "Xanh"), encoding="utf-8")
    result = run_monitoring("import", str(path), database=database)
    assert result.returncode == 0
    assert "không thay đổi" not in result.stdout


def test_versions_text_table(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")
    run_monitoring("import", str(path), database=database)
    run_monitoring("restore", "0", database=database)

    found = json.loads(run_monitoring("versions", "--json", database=database).stdout)
    vietnamese = run_monitoring("versions", database=database).stdout.splitlines()
    english = run_monitoring("--lang", "en", "versions", database=database).stdout.splitlines()
    vietnam_times = [
        (datetime.fromisoformat(version["created_at"]) + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M") for version in found
    ]
    assert vietnamese[0].split() == ["Phiên", "bản", "Thời", "gian", "Thao", "tác", "Bảng", "Số", "dòng", "Tệp"]
    assert vietnamese[1].split()[:5] == ["2", *vietnam_times[0].split(), "Khôi", "phục"]
    assert vietnamese[2].split()[:4] == ["1", *vietnam_times[1].split(), "Nhập"]
    assert "Trạng thái tỉnh, thành phố" in vietnamese[2]
    assert vietnamese[2].endswith("tinh.csv")
    assert english[0].split() == ["Version", "Time", "Action", "Tables", "Rows", "File"]
    assert english[2].split()[3:6] == ["Import", "Province", "status"]
    assert "province_status" not in "\n".join(vietnamese + english)


def test_versions_json_raw_keys(tmp_path):
    database = tmp_path / "cli.sqlite"
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")
    run_monitoring("import", str(path), database=database)
    found = json.loads(run_monitoring("--lang", "en", "versions", "--json", database=database).stdout)
    assert len(found) == 1
    assert set(found[0]) == {"id", "created_at", "action", "kinds", "file_name", "rows", "restored_from", "author"}
    assert found[0]["action"] == "import"
    assert found[0]["kinds"] == ["province_status"]
    assert datetime.fromisoformat(found[0]["created_at"]).utcoffset() == timedelta(0)


def test_restore_unknown_version_vietnamese(tmp_path):
    database = tmp_path / "cli.sqlite"
    vietnamese = run_monitoring("restore", "99", database=database)
    english = run_monitoring("--lang", "en", "restore", "99", database=database)
    assert vietnamese.returncode == 1
    assert vietnamese.stderr.strip() == "Không tìm thấy phiên bản 99: các phiên bản đánh số từ 0 (dữ liệu mẫu) đến 0."
    assert english.returncode == 1
    assert english.stderr.strip() == "Version 99 not found: versions run from 0 (the sample) to 0."


@pytest.mark.parametrize("lang, expected", [("vi", "Không ghi được tệp mẫu"), ("en", "Cannot write the template")])
def test_template_missing_folder_exit_2(tmp_path, lang, expected):
    out = tmp_path / "absent" / "mau.xlsx"
    result = run_monitoring("--lang", lang, "template", "tasks", "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert str(out) in result.stderr


@pytest.mark.parametrize("lang, expected", [("vi", "không được hỗ trợ"), ("en", "Unsupported template format .pdf")])
def test_template_format_message(tmp_path, lang, expected):
    result = run_monitoring("--lang", lang, "template", "tasks", "--out", str(tmp_path / "mau.pdf"))
    assert result.returncode == 1
    assert expected in result.stderr


def bad_databases(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """Return, per case, a database URL that can't be used and the start of its Vietnamese and English messages."""
    not_database = tmp_path / "notes.sqlite"
    not_database.write_text("These are notes, not a SQLite database.\n" * 40, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    return {
        "unparsable": ("not a url", "URL cơ sở dữ liệu không hợp lệ", "Invalid database URL"),
        "not_database": (f"sqlite:///{not_database}", "Không mở được cơ sở dữ liệu", "Cannot open the database"),
        "folder_blocked": (
            f"sqlite:///{blocker / 'store' / 'db.sqlite'}",
            "Không tạo được thư mục",
            "Cannot create the folder",
        ),
        "missing_driver": (
            "postgresql+pg8000://user:secret@127.0.0.1:1/db",
            "Chưa cài trình điều khiển",
            "The driver for the database postgresql+pg8000://user:***@127.0.0.1:1/db is not installed",
        ),
    }


DATABASE_CASES = ["unparsable", "not_database", "folder_blocked", "missing_driver"]
DATABASE_COMMANDS = [("import", "FILE"), ("restore", "1"), ("versions",), ("summary",)]


@pytest.mark.parametrize(
    "case, command",
    [
        (case, command)
        for case in DATABASE_CASES
        for command in DATABASE_COMMANDS
        # `versions` and `summary` create nothing, so they show the sample when the SQLite file is absent.
        if not (case == "folder_blocked" and command[0] in ("versions", "summary"))
    ],
)
def test_unusable_database_exit_2(tmp_path, case, command):
    url, start_vi, _ = bad_databases(tmp_path)[case]
    path = tmp_path / "tinh.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8")
    arguments = [str(path) if argument == "FILE" else argument for argument in command]

    result = run_monitoring(*arguments, "--database", url)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(start_vi), result.stderr
    assert ":secret@" not in result.stderr + result.stdout


@pytest.mark.parametrize("case", DATABASE_CASES)
def test_unusable_database_english(tmp_path, case):
    url, _, start_en = bad_databases(tmp_path)[case]
    result = run_monitoring("--lang", "en", "restore", "1", "--database", url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(start_en), result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_driver_hides_password():
    url = "postgresql+pg8000://user:secret@127.0.0.1:1/db"
    for arguments in (("versions", "--database", url), ("--lang", "en", "restore", "0", "--database", url)):
        result = run_monitoring(*arguments)
        assert result.returncode == 2
        assert "secret" not in result.stderr + result.stdout
        assert "postgresql+pg8000://user:***@127.0.0.1:1/db" in result.stderr


def test_unusable_database_json_error(tmp_path):
    result = run_monitoring(
        "--lang", "en", "versions", "--json", "--database", "postgresql+pg8000://user:secret@127.0.0.1:1/db"
    )
    assert result.returncode == 2
    assert "pip install" in json.loads(result.stdout)["error"]
    assert "secret" not in result.stdout


@pytest.mark.parametrize(
    "command, expected",
    [
        ((), ["--lang", "Exit status", "validate", "make-sample"]),
        (("validate",), [".csv", ".xlsx", "--json"]),
        (("import",), [".xlsx", "sqlite:///", "DXMAP_DATABASE_URL"]),
        (("summary",), ["YYYY-MM-DD", "sqlite:///"]),
        (("versions",), ["UTC+7", "ISO 8601", "sqlite:///"]),
        (("restore",), ["VERSION", "`versions`"]),
        (("template",), [".xlsx or .csv", "province_status"]),
        (("make-sample",), ["FOLDER", "data/sample"]),
    ],
)
def test_help_describes_options(command, expected):
    result = run_monitoring(*command, "--help")
    assert result.returncode == 0
    for text in expected:
        assert text in result.stdout, text


@pytest.mark.parametrize("suffix", ["md", "pdf", "xlsx"])
def test_briefing_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"tom_tat.{suffix}"

    result = run_monitoring("briefing", "--as-of", "2025-07-15", "--out", str(out), database=tmp_path / "empty.sqlite")

    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith({"md": b"- ", "pdf": b"%PDF", "xlsx": b"PK"}[suffix])


def test_briefing_markdown_links(tmp_path):
    out = tmp_path / "briefing.txt"

    result = run_monitoring(
        "--lang", "en", "briefing", "--as-of", "2025-07-15", "--format", "md", "--out", str(out),
        database=tmp_path / "empty.sqlite",
    )

    lines = out.read_text(encoding="utf-8").splitlines()
    assert result.returncode == 0, result.stderr
    assert len(lines) == 7
    assert lines[0] == (
        "- On 15/07/2025, 33 of 34 provinces are Green, 1 is Yellow (Lai Châu) and none is Red. "
        "[See the map](/?date=2025-07-15&layer=status&lang=en)"
    )
    assert "[See online filing](/filing?date=2025-07-15&province=22&lang=en)" in lines[3]


def test_briefing_bad_date_exit_2(tmp_path):
    result = run_monitoring("briefing", "--as-of", "15/07/2025", "--out", str(tmp_path / "x.md"))
    assert result.returncode == 2
    assert "invalid date '15/07/2025'" in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_briefing_unwritable_path_exit_2(tmp_path):
    out = tmp_path / "missing" / "x.md"

    result = run_monitoring("briefing", "--out", str(out), database=tmp_path / "empty.sqlite")

    assert result.returncode == 2
    assert f"Không ghi được tệp {out}" in result.stderr


def test_briefing_unknown_format_exit_1(tmp_path):
    result = run_monitoring("briefing", "--out", str(tmp_path / "x.docx"), database=tmp_path / "empty.sqlite")
    assert result.returncode == 1
    assert "Không biết định dạng" in result.stderr


def test_briefing_bad_setting_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("DXMAP_JUNE_DROP", "70%")

    result = run_monitoring("--lang", "en", "briefing", "--out", str(tmp_path / "x.md"), database=tmp_path / "empty.sqlite")

    assert result.returncode == 2
    assert "Invalid value “70%” for the setting DXMAP_JUNE_DROP" in result.stderr


def test_briefing_before_any_report_exit_1(tmp_path):
    out = tmp_path / "tom_tat.md"
    result = run_monitoring("--lang", "en", "briefing", "--as-of", "2024-01-01", "--out", str(out), database=tmp_path / "empty.sqlite")
    assert result.returncode == 1
    assert "No report on or before 2024-01-01" in result.stderr
    assert not out.exists()


def test_briefing_between_reports_names_the_report_used(tmp_path):
    out = tmp_path / "tom_tat.md"
    result = run_monitoring("briefing", "--as-of", "2025-07-16", "--out", str(out), "--lang", "en", database=tmp_path / "empty.sqlite")
    assert result.returncode == 0, result.stderr
    assert "2025-07-16 is not a report date; briefing the latest report before it, 2025-07-15." in result.stderr
    assert out.read_text(encoding="utf-8").startswith("- On 15/07/2025, 33 of 34 provinces are Green")
