"""Text of reports, summaries, versions and provenance, with numbers and dates in the chosen locale."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

import pandas as pd

from monitoring.model import DO, KIND_LABELS, STATUS_LABELS, TASK_GROUPS, VANG, XANH
from monitoring.problems import ERROR, WARNING, ValidationReport

_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def number(value: float, lang: str = "vi") -> str:
    return format_decimal(value, locale=_LOCALES[lang])


def percent(value: float | None, lang: str = "vi") -> str:
    return "—" if value is None else format_percent(value, format="#,##0.0%", locale=_LOCALES[lang])


def day(value, lang: str = "vi") -> str:
    return format_date(value, format="dd/MM/yyyy", locale=_LOCALES[lang])


def _place(problem, lang: str) -> str:
    parts = []
    if problem.sheet:
        parts.append(("sheet " if lang == "en" else "trang ") + problem.sheet)
    if problem.row is not None:
        parts.append(("row " if lang == "en" else "dòng ") + str(problem.row))
    if problem.column:
        parts.append(("column " if lang == "en" else "cột ") + problem.column)
    if problem.value not in (None, ""):
        parts.append(("value " if lang == "en" else "giá trị ") + f"“{problem.value}”")
    return ", ".join(parts)


def format_report(report: ValidationReport, lang: str = "vi") -> str:
    """Format a validation report: a summary line, then one line per problem."""
    english = lang == "en"
    kind = report.kind or ("unknown" if english else "không rõ")
    lines = [
        (
            f"{report.file_name}: {kind}, {number(report.rows, lang)} rows, "
            f"{len(report.errors)} errors, {len(report.warnings)} warnings."
            if english
            else f"{report.file_name}: {kind}, {number(report.rows, lang)} dòng, "
            f"{len(report.errors)} lỗi, {len(report.warnings)} cảnh báo."
        )
    ]
    for problem in report.problems:
        label = ("Error" if english else "Lỗi") if problem.severity == ERROR else ("Warning" if english else "Cảnh báo")
        place = _place(problem, lang)
        lines.append(f"{label}{' (' + place + ')' if place else ''}: {problem.message(lang)}")
    if report.ok:
        lines.append("The file can be imported." if english else "Có thể nhập file này.")
    elif report.errors:
        lines.append(
            "Fix the errors and validate again; nothing was imported."
            if english
            else "Hãy sửa các lỗi rồi kiểm tra lại; chưa có dữ liệu nào được nhập."
        )
    return "\n".join(lines)


def format_summary(figures: dict, lang: str = "vi") -> str:
    """Format the headline figures of `monitoring.summary.headline`."""
    english = lang == "en"
    provinces = figures["provinces"]
    total = sum(provinces.values())
    labels = {key: STATUS_LABELS[key]["en" if english else "vi"] for key in (XANH, VANG, DO)}
    coverage = figures["coverage"]
    groups = ", ".join(
        f"{group.text(lang)} {figures['tasks_by_group'].get(group.key, 0)}" for group in TASK_GROUPS
    )
    as_of = day(date.fromisoformat(figures["as_of"]), lang)
    if english:
        return "\n".join(
            [
                f"Report date: {as_of}",
                f"Provinces: {provinces[XANH]}/{total} {labels[XANH]}, {provinces[VANG]} {labels[VANG]}, "
                f"{provinces[DO]} {labels[DO]}, {provinces['no_data']} no data",
                f"Communes reported: {number(figures['communes_reported'], lang)} of {number(figures['communes_total'], lang)}",
                f"Provinces with over 50% of communes green: {coverage['over_50']} (over 70%: {coverage['over_70']}); "
                f"under 10%: {coverage['under_10']}",
                f"National online filing rate: {percent(figures['online_rate'], lang)}",
                f"Overdue tasks: {figures['tasks_overdue']} ({groups})",
            ]
        )
    return "\n".join(
        [
            f"Ngày báo cáo: {as_of}",
            f"Tỉnh, thành phố: {provinces[XANH]}/{total} {labels[XANH]}, {provinces[VANG]} {labels[VANG]}, "
            f"{provinces[DO]} {labels[DO]}, {provinces['no_data']} chưa có dữ liệu",
            f"Xã, phường đã báo cáo: {number(figures['communes_reported'], lang)}/{number(figures['communes_total'], lang)}",
            f"Tỉnh có trên 50% xã Xanh: {coverage['over_50']} (trên 70%: {coverage['over_70']}); "
            f"dưới 10%: {coverage['under_10']}",
            f"Tỷ lệ nộp hồ sơ trực tuyến cả nước: {percent(figures['online_rate'], lang)}",
            f"Nhiệm vụ quá hạn: {figures['tasks_overdue']} ({groups})",
        ]
    )


def format_versions(found: list, lang: str = "vi") -> str:
    """Format stored versions, newest first."""
    english = lang == "en"
    if not found:
        return "No imports yet: the sample is shown." if english else "Chưa nhập dữ liệu nào: đang dùng dữ liệu mẫu."
    lines = []
    for version in found:
        when = version.created_at.strftime("%d/%m/%Y %H:%M")
        what = version.file_name or (
            f"restore of {version.restored_from}" if english else f"khôi phục phiên bản {version.restored_from}"
        )
        lines.append(f"{version.id}\t{when}\t{version.action}\t{','.join(version.kinds)}\t{number(version.rows, lang)}\t{what}")
    return "\n".join(lines)


def provenance_text(provenance, lang: str = "vi") -> str:
    """Say where a table's rows come from: the illustrative sample or an import."""
    if provenance is None or provenance.is_sample:
        return "Sample data, illustrative only" if lang == "en" else "Dữ liệu mẫu, chỉ để minh họa"
    when = provenance.imported_at.tz_convert("Asia/Ho_Chi_Minh") if provenance.imported_at.tzinfo else provenance.imported_at
    stamp = f"{day(when.date(), lang)} {when.strftime('%H:%M')}"
    if lang == "en":
        return f"Imported on {stamp} from {provenance.file_name} (version {provenance.version})"
    return f"Nhập ngày {stamp} từ tệp {provenance.file_name} (phiên bản {provenance.version})"


def problems_table(report: ValidationReport, lang: str = "vi") -> pd.DataFrame:
    """Return the problems of a report as a table for the screen, errors first."""
    english = lang == "en"
    headers = (
        ("Level", "Sheet", "Row", "Column", "Value", "Problem")
        if english
        else ("Mức", "Trang", "Dòng", "Cột", "Giá trị", "Vấn đề")
    )
    labels = {ERROR: "Error" if english else "Lỗi", WARNING: "Warning" if english else "Cảnh báo"}
    ordered = report.errors + report.warnings
    rows = [
        (
            labels[problem.severity],
            problem.sheet,
            problem.row,
            problem.column,
            None if problem.value is None else str(problem.value),
            problem.message(lang),
        )
        for problem in ordered
    ]
    table = pd.DataFrame(rows, columns=list(headers))
    table[headers[2]] = table[headers[2]].astype("Int64")
    return table


def versions_table(found: list, lang: str = "vi") -> pd.DataFrame:
    """Return stored versions as a table for the screen, newest first."""
    english = lang == "en"
    headers = (
        ("Version", "Time", "Action", "Tables", "Rows", "File")
        if english
        else ("Phiên bản", "Thời gian", "Thao tác", "Bảng", "Số dòng", "Tệp")
    )
    actions = {"import": "Import" if english else "Nhập", "restore": "Restore" if english else "Khôi phục"}
    rows = []
    for version in found:
        when = pd.Timestamp(version.created_at).tz_convert("Asia/Ho_Chi_Minh")
        kinds = ", ".join(KIND_LABELS[kind].text(lang) for kind in version.kinds if kind in KIND_LABELS)
        source = version.file_name or (
            f"version {version.restored_from}" if english else f"phiên bản {version.restored_from}"
        )
        rows.append((version.id, when.strftime("%d/%m/%Y %H:%M"), actions.get(version.action, version.action), kinds, version.rows, source))
    return pd.DataFrame(rows, columns=list(headers))
