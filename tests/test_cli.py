"""``python -m geo check``: report, JSON keys and exit status, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

REPO = Path(__file__).resolve().parents[1]


def run_geo(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def shared_report(boundaries_dir):
    result = run_geo("check", "--source", str(boundaries_dir), "--json")
    return result


def test_check_shared_exits_zero(shared_report):
    assert shared_report.returncode == 0, shared_report.stderr


def test_check_json_keys(shared_report):
    report = json.loads(shared_report.stdout)

    assert report["hashes_verified"] is True
    for key, count in (("provinces", 34), ("communes", 3321)):
        level = report[key]
        assert level["features"] == count
        assert level["matched"] == count
        assert level["unmatched"] == []
        assert isinstance(level["code_conflicts"], list)
    assert len(report["communes"]["code_conflicts"]) > 100


def test_check_text_report(boundaries_dir):
    result = run_geo("check", "--source", str(boundaries_dir), "--level", "province")

    assert result.returncode == 0
    assert "Provinces: 34 features read, 34 matched, 0 unmatched" in result.stdout
    assert "Hashes verified: yes" in result.stdout
    assert "Communes:" not in result.stdout


def test_check_level_json_has_one_key(boundaries_dir):
    result = run_geo("check", "--source", str(boundaries_dir), "--level", "province", "--json")
    report = json.loads(result.stdout)

    assert "provinces" in report
    assert "communes" not in report


def test_check_default_source_from_setting(boundaries_dir):
    result = run_geo("check", "--level", "province", "--json", env={"DXMAP_BOUNDARIES_DIR": str(boundaries_dir)})

    assert result.returncode == 0
    assert json.loads(result.stdout)["source_kind"] == "folder"


def test_check_unmatched_exits_one(tmp_path):
    path = tmp_path / "tinh.geojson"
    frame = gpd.GeoDataFrame(
        {"ten": ["Hà Nội", "Khánh Hoà", "Tỉnh Không Có"],
         "geometry": [shapely.box(105 + i, 20, 105.5 + i, 20.5) for i in range(3)]},
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GeoJSON")

    result = run_geo("check", "--source", str(path), "--level", "province", "--json")
    report = json.loads(result.stdout)

    assert result.returncode == 1
    assert report["provinces"]["matched"] == 2
    assert [item["source_name"] for item in report["provinces"]["unmatched"]] == ["Tỉnh Không Có"]


def test_check_unreadable_exits_two(tmp_path):
    result = run_geo("check", "--source", str(tmp_path / "absent"), "--lang", "en")

    assert result.returncode == 2
    assert "File or folder not found" in result.stderr
    assert "--source" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_missing_setting_folder_exits_two(tmp_path):
    result = run_geo("check", "--lang", "en", env={"DXMAP_BOUNDARIES_DIR": str(tmp_path / "absent")})

    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "DXMAP_BOUNDARIES_DIR" in result.stderr


@pytest.mark.parametrize("crs", ["nonsense", "EPSG:99999"])
def test_check_invalid_crs_exits_two(tmp_path, crs):
    path = tmp_path / "tinh.geojson"
    gpd.GeoDataFrame({"ten": ["Hà Nội"], "geometry": [shapely.box(105, 20, 106, 21)]}, crs="EPSG:4326").to_file(path)

    result = run_geo("check", "--source", str(path), "--crs", crs, "--lang", "en")

    assert result.returncode == 2
    assert "Invalid CRS" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_broken_file_exits_two(tmp_path):
    path = tmp_path / "hong.geojson"
    path.write_text("{", encoding="utf-8")

    result = run_geo("check", "--source", str(path))

    assert result.returncode == 2
    assert "hong.geojson" in result.stderr
