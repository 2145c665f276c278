"""Load a boundary source, reconcile it with the official list and report the result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo import units
from geo.errors import BoundaryError
from geo.layout import read_communes, read_provinces
from geo.reconcile import reconcile
from geo.sources import open_source
from geo.userfiles import read_user_file

LEVELS = ("province", "commune")
REPORT_KEYS = {"province": "provinces", "commune": "communes"}


def check_source(source: str | Path | None = None, level: str | None = None, **user_fields) -> dict:
    """Reconcile a boundary source and return a JSON-ready report.

    Parameters
    ----------
    source
        None for the configured source, a folder of the ``vietnam-3d-map`` layout,
        or a user boundary file (see ``geo.userfiles.read_user_file``).
    level
        "province" or "commune" to check one level; both when None (a user file
        has one level, detected when None).
    **user_fields
        ``name_field``, ``code_field``, ``province_field``, ``crs``, ``layer`` for a
        user file.

    Returns
    -------
    dict
        ``source``, ``source_kind``, ``hashes_verified`` and, per level checked,
        ``provinces`` / ``communes`` with ``features``, ``matched``, ``unmatched``,
        ``code_conflicts``, ``matched_by_code``, ``missing``, ``repaired_geometries``.
    """
    if source is not None and Path(source).is_file():
        return _check_user_file(Path(source), level, user_fields)
    if source is not None and not Path(source).exists():
        raise BoundaryError(
            f"Không tìm thấy tệp hoặc thư mục {source}. Hãy kiểm tra đường dẫn --source.",
            f"File or folder not found: {source}. Check the --source path.",
        )

    boundary_source = open_source(source)
    report: dict = {"source": boundary_source.location, "source_kind": boundary_source.kind}
    for checked in [level] if level else LEVELS:
        if checked == "province":
            read = read_provinces(boundary_source)
        else:
            read = read_communes(boundary_source, list(units.provinces().index))
        _matched, level_report = reconcile(read.features, checked)
        level_report.repaired_geometries = len(read.repaired)
        report[REPORT_KEYS[checked]] = level_report.to_dict()
    report["hashes_verified"] = boundary_source.hashes_verified
    return report


def _check_user_file(path: Path, level: str | None, user_fields: dict) -> dict:
    features, detected = read_user_file(path, level=level, **user_fields)
    _matched, level_report = reconcile(features, detected.level)
    return {
        "source": str(path),
        "source_kind": "file",
        "hashes_verified": False,
        "detected_fields": {
            "name": detected.name_field,
            "code": detected.code_field,
            "province": detected.province_field,
            "crs": detected.crs,
        },
        REPORT_KEYS[detected.level]: level_report.to_dict(),
    }


def all_matched(report: dict) -> bool:
    """Return True when no level of the report has an unmatched feature."""
    return all(not report[key]["unmatched"] for key in REPORT_KEYS.values() if key in report)


def format_report(report: dict) -> str:
    """Render the report as plain text for a terminal."""
    lines = [f"Source: {report['source']} ({report['source_kind']})",
             f"Hashes verified: {'yes' if report['hashes_verified'] else 'no'}"]
    if "detected_fields" in report:
        fields = report["detected_fields"]
        lines.append(f"Fields: name={fields['name']}, code={fields['code']}, "
                     f"province={fields['province']}, CRS {fields['crs']}")

    for level, key in REPORT_KEYS.items():
        if key in report:
            lines.extend(_format_level(key, report[key]))
    return "\n".join(lines)


def _format_level(key: str, level: dict) -> list[str]:
    lines = [
        "",
        f"{key.capitalize()}: {level['features']} features read, {level['matched']} matched, "
        f"{len(level['unmatched'])} unmatched, {len(level['code_conflicts'])} code conflicts, "
        f"{level['repaired_geometries']} geometries repaired, {len(level['missing'])} official units missing",
    ]
    for item in level["unmatched"]:
        candidates = ", ".join(f"{c['name']} ({c['code']}, {c['score']:.2f})" for c in item["candidates"]) or "none"
        lines.append(f"  unmatched: {item['source_name']!r} code {item['source_code']}: {item['reason']}; "
                     f"closest: {candidates}")
    for conflict in level["code_conflicts"]:
        owner = f", which is the code of {conflict['code_belongs_to']}" if conflict["code_belongs_to"] else ""
        lines.append(f"  code conflict: {conflict['source_name']!r} carries {conflict['source_code']}{owner}; "
                     f"official code {conflict['official_code']} ({conflict['official_name']}) used")
    for item in level["matched_by_code"]:
        lines.append(f"  matched by code: {item['source_name']!r} -> {item['official_code']}")
    for item in level["missing"]:
        lines.append(f"  missing: {item['name']} ({item['code']})")
    return lines


_LEVEL_LABELS = {"provinces": ("Tỉnh, thành phố", "Provinces"), "communes": ("Xã, phường", "Communes")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def summary_table(report: dict, lang: str = "vi") -> pd.DataFrame:
    """Return one row per level of a `check_source` report: features read, matched,
    unmatched, code conflicts, geometries repaired and official units missing."""
    columns = {
        "features": ("Số đối tượng", "Features"),
        "matched": ("Khớp danh mục", "Matched"),
        "unmatched": ("Không khớp", "Unmatched"),
        "code_conflicts": ("Mã khác danh mục", "Code conflicts"),
        "repaired_geometries": ("Hình đã sửa", "Geometries repaired"),
        "missing": ("Đơn vị thiếu", "Units missing"),
    }
    rows = []
    for key, label in _LEVEL_LABELS.items():
        if key not in report:
            continue
        level = report[key]
        row = {_pick(("Cấp", "Level"), lang): _pick(label, lang)}
        for field_name, names in columns.items():
            value = level[field_name]
            row[_pick(names, lang)] = len(value) if isinstance(value, list) else value
        rows.append(row)
    return pd.DataFrame(rows)


def findings_table(report: dict, lang: str = "vi") -> pd.DataFrame:
    """Return every finding of a `check_source` report, one row each: level, kind, the
    name and code in the source, and the official unit used (or the closest ones)."""
    kinds = {
        "unmatched": ("Không khớp", "Unmatched"),
        "code_conflicts": ("Mã khác danh mục, dùng mã chính thức", "Code conflict, official code used"),
        "matched_by_code": ("Khớp theo mã", "Matched by code"),
        "missing": ("Thiếu trong nguồn", "Missing from the source"),
    }
    rows = []
    for key, label in _LEVEL_LABELS.items():
        for kind, kind_label in kinds.items():
            for item in report.get(key, {}).get(kind, []):
                rows.append(_finding_row(item, _pick(label, lang), _pick(kind_label, lang), lang))
    columns = [_pick(pair, lang) for pair in (("Cấp", "Level"), ("Loại", "Kind"), ("Tên trong nguồn", "Name in source"),
                                             ("Mã trong nguồn", "Code in source"), ("Đơn vị chính thức", "Official unit"))]
    return pd.DataFrame(rows, columns=columns)


def _finding_row(item: dict, level: str, kind: str, lang: str) -> list:
    if "candidates" in item:
        closest = ", ".join(f"{candidate['name']} ({candidate['code']})" for candidate in item["candidates"])
        official = (_pick(("Gần nhất: ", "Closest: "), lang) + closest) if closest else ""
    elif "official_code" in item:
        official = f"{item.get('official_name', '')} ({item['official_code']})"
    else:
        official = f"{item['name']} ({item['code']})"
    return [level, kind, item.get("source_name", ""), item.get("source_code", ""), official]
