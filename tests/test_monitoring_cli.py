"""``python -m monitoring``: JSON keys, exit status and the database it uses, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

REPORT_FIGURES = {
    "provinces": {"xanh": 33, "vang": 1, "do": 0, "no_data": 0},
    "communes_reported": 3320,
    "coverage": {"over_50": 9, "over_70": 5, "under_10": 9},
    "tasks_overdue": 11,
    "tasks_by_group": {"institutional": 5, "infrastructure": 3, "platforms": 2, "human_resources": 2},
}


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
